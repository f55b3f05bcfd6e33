package io.starconsole.edge.jedi;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.Established;
import io.starconsole.protocol.handshake.InitiationAttempt;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.MacAddress;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Reconnect;
import io.starconsole.protocol.session.Session;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Arrays;

/** A box for tests: its own key pair and a real UDP socket, speaking JEDI through the protocol library. */
final class TestBox implements AutoCloseable {

    final KeyPair keys = KeyPair.generate(new SecureRandom());
    private DatagramSocket socket;
    private final int edgePort;
    private final Initiator initiator;
    Session session;

    TestBox(Key edgePublicKey, int edgePort) throws IOException {
        this(edgePublicKey, edgePort, JediVersion.CURRENT);
    }

    TestBox(Key edgePublicKey, int edgePort, JediVersion version) throws IOException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.socket.setSoTimeout(3000);
        this.edgePort = edgePort;
        this.initiator = new Initiator(keys, edgePublicKey, version);
    }

    String publicKey() {
        return keys.publicKey().toBase64();
    }

    static BoxInfo info(String group) throws IOException {
        return info(group, (Inet4Address) InetAddress.getByName("0.0.0.0"), 0);
    }

    /** The information of a box that holds (and so asks for) {@code spnIp}/{@code prefixLength}. */
    static BoxInfo info(String group, Inet4Address spnIp, int prefixLength) {
        return new BoxInfo(group, "box@example.org", MacAddress.parse("02:00:00:00:00:01"), spnIp, prefixLength,
                51820, 51820, "10.1.0.0/24", "1.0.0", "");
    }

    /** Handshakes with HELLO; returns the edge's answer (OK, OK_NEWIP or NOK). */
    Message hello(String group) throws Exception {
        return handshake(new Hello(info(group)));
    }

    /** Re-keys with RECONNECT, as a box does every 120 s; returns the edge's answer. */
    Message reconnect(String group) throws Exception {
        return handshake(new Reconnect(info(group)));
    }

    /** Re-keys as a box that took the address an OK_NEWIP gave it, and so asks for it. */
    Message reconnect(String group, OkNewIp taken) throws Exception {
        return handshake(new Reconnect(info(group, taken.spnIp(), taken.prefixLength())));
    }

    /** Its datagrams come from a new port from now on, as after a NAT rebinding; its keys and session stay. */
    void moveToNewPort() throws IOException {
        socket.close();
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(3000);
    }

    private Message handshake(Message request) throws Exception {
        InitiationAttempt attempt = initiator.initiate(request);
        send(attempt.datagram());
        byte[] response = receive();
        if (Packet.kindOf(response) == PacketKind.COOKIE_REPLY) {
            // The edge is under load: echo its cookie, as a real box does.
            attempt.consumeCookieReply(response);
            attempt = initiator.initiate(request);
            send(attempt.datagram());
            response = receive();
        }
        Established established = attempt.consumeResponse(response);
        session = established.session();
        return established.answer();
    }

    void sendSealed(Message message) throws Exception {
        send(session.seal(message));
    }

    /** The next transport message from the edge. */
    Message receiveMessage() throws Exception {
        byte[] datagram = receive();
        if (Packet.kindOf(datagram) != PacketKind.TRANSPORT_DATA) {
            throw new AssertionError("expected transport data, got " + Packet.kindOf(datagram));
        }
        return session.open(datagram);
    }

    Message request(Message message) throws Exception {
        sendSealed(message);
        return receiveMessage();
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), edgePort));
    }

    byte[] receive() throws IOException {
        byte[] buffer = new byte[Packet.MAX_DATAGRAM_SIZE_IN_BYTES + 64];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        return Arrays.copyOf(buffer, packet.getLength());
    }

    /** True if nothing arrives within {@code millis}. */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            receive();
            return false;
        } catch (SocketTimeoutException expected) {
            return true;
        } finally {
            socket.setSoTimeout(3000);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
