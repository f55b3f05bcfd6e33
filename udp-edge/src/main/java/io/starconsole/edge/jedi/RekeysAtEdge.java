package io.starconsole.edge.jedi;

import io.starconsole.edge.session.EdgeSession;
import io.starconsole.protocol.crypto.Hashing;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Reconnect;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Which re-keys the edge answers itself. A box starts a new handshake (RECONNECT) every 120 s; one
 * that changes nothing the registry knows (same box, same address and port, same box information as
 * the functions last answered OK to, not long ago) is answered OK here, as the functions would,
 * without a registration call: a fleet of N boxes otherwise costs the functions and PostgreSQL N /
 * 120 registrations a second for nothing. Anything else goes to the functions: a HELLO, a box with no
 * session here (new to this edge, or its session ended because the registry stopped serving it), a
 * box that moved, changed its information or was last admitted longer than {@code window} ago.
 *
 * <p>A box told OK_NEWIP takes the address it was given, and its next RECONNECT asks for that
 * address: the information the registry admitted is then the HELLO's with the granted address and
 * prefix. Relaying that first re-key as well sent a whole fleet that came online together (after an
 * outage, or a console restart) back to the functions at once 120 s later (bench/RESULTS.md,
 * session 12); a box that did not take the address asks for another and is relayed.
 */
final class RekeysAtEdge {

    private final long windowNanos;

    RekeysAtEdge(Duration window) {
        if (window.isNegative() || window.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("star-console.edge.registrations.rekeys-at-edge-for must be 0 to 24 h, not "
                    + window);
        }
        this.windowNanos = window.toNanos();
    }

    /** True when the RECONNECT of the box whose session is {@code current} may be answered here. */
    boolean answerHere(EdgeSession current, InetSocketAddress sender, long infoDigest, long nowNanos) {
        return windowNanos > 0 && current != null
                && current.admittedInfoDigest() != EdgeSession.NOT_REKEYABLE_HERE
                && current.admittedInfoDigest() == infoDigest
                && sender.equals(current.address())
                && nowNanos - current.admittedAtNanos() < windowNanos;
    }

    /**
     * The digest a new session keeps for the registry's answer {@code reply} to a handshake carrying
     * {@code info} (digest {@code infoDigest}): that of the information an OK admitted, that of the
     * information with the granted address for OK_NEWIP, {@link EdgeSession#NOT_REKEYABLE_HERE} for
     * anything else.
     */
    static long admittedDigest(Message reply, BoxInfo info, long infoDigest) {
        if (reply instanceof Ok) {
            return infoDigest;
        }
        if (reply instanceof OkNewIp granted) {
            return digest(new BoxInfo(info.groupName(), info.idString(), info.macAddress(), granted.spnIp(),
                    granted.prefixLength(), info.listenPort(), info.endpointPort(), info.allowedIps(),
                    info.firmwareVersion(), info.enrolmentToken()));
        }
        return EdgeSession.NOT_REKEYABLE_HERE;
    }

    /**
     * A digest of the box information a HELLO or RECONNECT carries, never {@link
     * EdgeSession#NOT_REKEYABLE_HERE}: equal digests mean the same information.
     */
    static long digest(BoxInfo info) {
        long digest = ByteBuffer.wrap(Hashing.sha256(MessageCodec.encode(new Reconnect(info)))).getLong();
        return digest == EdgeSession.NOT_REKEYABLE_HERE ? 1 : digest;
    }
}
