package io.starconsole.bench;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.HandshakeResponse;
import io.starconsole.protocol.handshake.PendingHandshake;
import io.starconsole.protocol.handshake.Responder;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.session.Session;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of {@link KeepaliveBench}: the least a PING/PONG server can do, in its own JVM with the
 * edge's JVM options: the same sockets (one per core, SO_REUSEPORT, a blocking read per thread) and
 * the same cryptography (open the PING, seal the PONG), and nothing else: no Netty, no framework, no
 * session table, no presence. Every handshake is accepted. What the bench measures against this is
 * the generator's and the machine's share of the round trip.
 *
 * <pre>
 * java -cp bench.jar io.starconsole.bench.KeepaliveEcho PORT EDGE_PRIVATE_KEY_BASE64 SOCKETS
 * </pre>
 */
public final class KeepaliveEcho {

    private static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    private KeepaliveEcho() {
    }

    public static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(argv[0]);
        KeyPair keys = KeyPair.fromPrivateKey(Key.fromBase64(argv[1]));
        int sockets = Integer.parseInt(argv[2]);
        Responder responder = new Responder(keys);
        ConcurrentHashMap<Integer, Session> sessions = new ConcurrentHashMap<>();
        AtomicInteger nextIndex = new AtomicInteger(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            DatagramChannel channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(new InetSocketAddress("127.0.0.1", port));
            Thread thread = new Thread(() -> serve(channel, responder, sessions, nextIndex), "echo-" + i);
            thread.start();
            threads.add(thread);
        }
        System.out.println("ready");
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void serve(DatagramChannel channel, Responder responder, ConcurrentHashMap<Integer, Session> sessions,
                              AtomicInteger nextIndex) {
        ByteBuffer in = ByteBuffer.allocate(Packet.MAX_DATAGRAM_SIZE_IN_BYTES + 1);
        while (true) {
            try {
                in.clear();
                InetSocketAddress sender = (InetSocketAddress) channel.receive(in);
                in.flip();
                byte[] datagram = new byte[in.remaining()];
                in.get(datagram);
                byte[] answer = answer(datagram, sender, responder, sessions, nextIndex);
                if (answer != null) {
                    channel.send(ByteBuffer.wrap(answer), sender);
                }
            } catch (ProtocolException dropped) {
                // as the edge does: junk is dropped
            } catch (IOException e) {
                System.err.println("echo socket failed: " + e);
                return;
            }
        }
    }

    private static byte[] answer(byte[] datagram, InetSocketAddress sender, Responder responder,
                                 ConcurrentHashMap<Integer, Session> sessions, AtomicInteger nextIndex)
            throws ProtocolException, IOException {
        PacketKind kind = Packet.kindOf(datagram);
        if (kind == PacketKind.HANDSHAKE_INITIATION) {
            if (!(responder.consumeInitiation(datagram, sender) instanceof PendingHandshake pending)) {
                return null;
            }
            int index = nextIndex.getAndIncrement();
            byte[] address = {10, 99, (byte) (index >> 8), (byte) index};
            HandshakeResponse response = pending.respond(
                    new OkNewIp((Inet4Address) InetAddress.getByAddress(address), 16), index);
            sessions.put(index, response.session());
            return response.datagram();
        }
        Session session = sessions.get(Session.receiverIndexOf(datagram));
        if (session == null) {
            return null;
        }
        Message message = session.open(datagram);
        return message instanceof Ping ping
                ? session.seal(new Pong(ping.sequence(), 0, System.currentTimeMillis())) : null;
    }
}
