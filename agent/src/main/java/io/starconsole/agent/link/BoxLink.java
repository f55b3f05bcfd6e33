package io.starconsole.agent.link;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.Consumer;

/** One box's UDP socket to the edge. Sending never throws: an unreachable edge is the lifecycle's business. */
public final class BoxLink implements Closeable {

    private static final Logger LOG = System.getLogger(BoxLink.class.getName());

    private final DatagramChannel channel;
    private final Consumer<byte[]> receiver;

    BoxLink(DatagramChannel channel, Consumer<byte[]> receiver) {
        this.channel = channel;
        this.receiver = receiver;
    }

    DatagramChannel channel() {
        return channel;
    }

    Consumer<byte[]> receiver() {
        return receiver;
    }

    /** Sends one datagram to the edge; false if the socket refused it (logged at debug). */
    public boolean send(byte[] datagram) {
        try {
            return channel.write(ByteBuffer.wrap(datagram)) == datagram.length;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send: " + e);
            return false;
        }
    }

    public int localPort() {
        try {
            return ((java.net.InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
