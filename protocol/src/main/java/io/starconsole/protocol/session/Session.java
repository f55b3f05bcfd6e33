package io.starconsole.protocol.session;

import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * An established JEDI transport session: seals and opens TRANSPORT_DATA datagrams with its
 * version's AEAD, per-direction keys, the 64-bit counter as nonce and a {@link ReplayWindow}.
 * Compact by design (about 550 bytes with its window): it holds raw keys, not Cipher objects.
 * Thread-safe. Created by the handshake; the edge finds it by {@link #localIndex()}.
 */
public final class Session {

    private static final VarHandle SEND_COUNTER;
    private static final ThreadLocal<ByteWriter> SCRATCH =
            ThreadLocal.withInitial(() -> new ByteWriter(MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES));

    static {
        try {
            SEND_COUNTER = MethodHandles.lookup().findVarHandle(Session.class, "sendCounter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int localIndex;
    private final int remoteIndex;
    private final Key remoteStaticKey;
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private final boolean initiator;
    private final long createdAtNanos;
    private final LongSupplier nanoClock;
    private final JediVersion version;
    private final ReplayWindow replayWindow = new ReplayWindow();
    @SuppressWarnings("unused") // updated through SEND_COUNTER
    private volatile long sendCounter;
    private volatile boolean destroyed;

    /**
     * For the handshake classes. Takes ownership of the two key arrays (they are zeroed by
     * {@link #destroy()}).
     */
    public Session(int localIndex, int remoteIndex, Key remoteStaticKey, byte[] sendKey, byte[] receiveKey,
            boolean initiator, LongSupplier nanoClock, JediVersion version) {
        if (sendKey.length != JediVersion.KEY_SIZE_IN_BYTES || receiveKey.length != JediVersion.KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("session keys must be 32 bytes");
        }
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.remoteStaticKey = remoteStaticKey;
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
        this.initiator = initiator;
        this.nanoClock = nanoClock;
        this.version = version;
        this.createdAtNanos = nanoClock.getAsLong();
    }

    /** The receiver index of a TRANSPORT_DATA datagram, after its header checks: the edge's lookup key. */
    public static int receiverIndexOf(byte[] datagram) throws ProtocolException {
        Packet.require(datagram, PacketKind.TRANSPORT_DATA);
        return Packet.readInt(datagram, 4);
    }

    /** Encodes and seals {@code message} into a TRANSPORT_DATA datagram for the peer. */
    public byte[] seal(Message message) throws ProtocolException {
        long now = nanoClock.getAsLong();
        if (destroyed || isExpired(now)) {
            throw new ProtocolException(ProtocolException.Reason.EXPIRED, "session expired");
        }
        long counter = (long) SEND_COUNTER.getAndAdd(this, 1L);
        if (counter >= Timers.REJECT_AFTER_MESSAGES) {
            throw new ProtocolException(ProtocolException.Reason.EXPIRED, "message limit reached");
        }
        ByteWriter plaintext = SCRATCH.get();
        plaintext.reset();
        MessageCodec.encode(message, plaintext);
        int headerSize = Packet.TRANSPORT_HEADER_SIZE_IN_BYTES;
        byte[] datagram = new byte[headerSize + plaintext.position() + JediVersion.TAG_SIZE_IN_BYTES];
        Packet.writeHeader(datagram, version, PacketKind.TRANSPORT_DATA);
        Packet.writeInt(datagram, 4, remoteIndex);
        Packet.writeLong(datagram, 8, counter);
        version.seal(sendKey, version.nonce(counter), datagram, 0, headerSize, plaintext.array(), 0, plaintext.position(),
                datagram, headerSize);
        return datagram;
    }

    /** Checks, opens and decodes a TRANSPORT_DATA datagram from the peer. */
    public Message open(byte[] datagram) throws ProtocolException {
        Packet.require(datagram, PacketKind.TRANSPORT_DATA);
        if (Packet.versionOf(datagram) != version) {
            throw new ProtocolException(ProtocolException.Reason.UNSUPPORTED_VERSION,
                    Packet.versionOf(datagram) + " datagram for a " + version + " session");
        }
        if (Packet.readInt(datagram, 4) != localIndex) {
            throw new ProtocolException(ProtocolException.Reason.UNKNOWN_SESSION, "receiver index is not this session's");
        }
        long counter = Packet.readLong(datagram, 8);
        if (destroyed || isExpired(nanoClock.getAsLong())) {
            throw new ProtocolException(ProtocolException.Reason.EXPIRED, "session expired");
        }
        if (counter < 0 || counter >= Timers.REJECT_AFTER_MESSAGES || !replayWindow.mayAccept(counter)) {
            throw new ProtocolException(ProtocolException.Reason.REPLAY, "counter replayed or too old");
        }
        int headerSize = Packet.TRANSPORT_HEADER_SIZE_IN_BYTES;
        byte[] plaintext = new byte[datagram.length - headerSize - JediVersion.TAG_SIZE_IN_BYTES];
        version.open(receiveKey, version.nonce(counter), datagram, 0, headerSize, datagram, headerSize,
                datagram.length - headerSize, plaintext, 0);
        if (!replayWindow.accept(counter)) {
            throw new ProtocolException(ProtocolException.Reason.REPLAY, "counter replayed");
        }
        return MessageCodec.decode(plaintext);
    }

    /** True when the session may no longer seal or open: past 180 s or its message limit, or destroyed. */
    public boolean isExpired(long nowNanos) {
        return destroyed || nowNanos - createdAtNanos >= Timers.REJECT_AFTER_TIME_NANOS
                || (long) SEND_COUNTER.getVolatile(this) >= Timers.REJECT_AFTER_MESSAGES;
    }

    /** True when the box (the initiator) should start a new handshake: after 120 s or 2^59 datagrams. */
    public boolean needsRekey(long nowNanos) {
        return initiator && (nowNanos - createdAtNanos >= Timers.REKEY_AFTER_TIME_NANOS
                || (long) SEND_COUNTER.getVolatile(this) >= Timers.REKEY_AFTER_MESSAGES);
    }

    /** Zeroes both keys; every later seal or open fails with EXPIRED. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }

    public JediVersion version() {
        return version;
    }

    public int localIndex() {
        return localIndex;
    }

    public int remoteIndex() {
        return remoteIndex;
    }

    public Key remoteStaticKey() {
        return remoteStaticKey;
    }

    public long createdAtNanos() {
        return createdAtNanos;
    }

    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public String toString() {
        return "Session[local=" + Integer.toUnsignedString(localIndex) + ", remote=" + Integer.toUnsignedString(remoteIndex)
                + ", peer=" + remoteStaticKey.toBase64() + "]";
    }
}
