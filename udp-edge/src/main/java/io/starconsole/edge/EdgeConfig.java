package io.starconsole.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code star-console.edge.*}: where the edge listens, who it is, and how it reaches the functions. */
@ConfigMapping(prefix = "star-console.edge")
public interface EdgeConfig {

    /** This edge's name in the registry (which edge saw a box last); random when not set. */
    Optional<String> id();

    /**
     * The edge's private key, base64 (env STAR_CONSOLE_EDGE_PRIVATE_KEY, e.g. from a secret store):
     * every edge behind one load balancer must share it. When set, the key directory is not used.
     */
    Optional<String> privateKey();

    /** Holds {@code edge.key} (private, 0600) and {@code edge.pub}; made at first start. */
    @WithDefault(".star-console/edge")
    Path keyDirectory();

    Udp udp();

    Functions functions();

    Sessions sessions();

    Presence presence();

    Handshakes handshakes();

    Commands commands();

    Registrations registrations();

    interface Udp {
        /** The boxes' port (the seed's 31902); 0 picks a free one (tests). */
        @WithDefault("31902")
        int port();

        @WithDefault("0.0.0.0")
        String host();

        /** Socket receive buffer (each socket's): large enough to ride out bursts of keepalives. */
        @WithDefault("4194304")
        int receiveBufferBytes();

        /**
         * Sockets bound to the boxes' port with SO_REUSEPORT, each read by its own thread (Linux
         * native transport; the kernel spreads boxes over them by address and port). Default: one
         * per core. Without the native transport the edge binds one NIO socket whatever this says.
         */
        OptionalInt sockets();
    }

    interface Functions {
        @WithDefault("http://127.0.0.1:8080")
        URI url();

        /** The credential of the functions' internal API (env STAR_CONSOLE_EDGE_SECRET). */
        Optional<String> secret();

        @WithDefault("PT2S")
        Duration timeout();

        /** Attempts per call for calls that may be repeated (all of them are idempotent). */
        @WithDefault("3")
        int attempts();

        @WithDefault("PT0.2S")
        Duration backoff();

        /** Registrations waiting for the functions at once; beyond it boxes are told to try again. */
        @WithDefault("2000")
        int maxRegistrationsInFlight();

        /**
         * Command leases relayed to the functions at once (in all lease batches out); further
         * ASK_USER_CMDs wait on the edge, in order (a broadcast wakes every box at the same moment).
         */
        @WithDefault("1000")
        int maxLeasesInFlight();

        /**
         * ASK_USER_CMDs (or command results) in one batched call at most: those that wait while a call
         * is out go together in the next.
         */
        @WithDefault("500")
        int commandBatchSize();

        /** Batched lease calls out at once, and the same for result calls. */
        @WithDefault("2")
        int commandCallsInFlight();

        /**
         * The timeout of a batched lease or result call (the others have {@link #timeout()}). A
         * batch of 500 at a broadcast's peak can take a second or two; a call repeated while the
         * first still runs has the functions do its work again behind the first one's locks, which
         * made later calls slower still (a 10,000-box broadcast once took 24 s, its result calls
         * repeated 11 times).
         */
        @WithDefault("PT10S")
        Duration commandBatchTimeout();
    }

    interface Sessions {
        /** A session that has sent nothing for this long is forgotten (boxes ping every 5 s). */
        @WithDefault("PT60S")
        Duration idleTimeout();

        @WithDefault("PT5S")
        Duration sweepInterval();
    }

    interface Presence {
        /** Heartbeats per relay call at most. */
        @WithDefault("5000")
        int batchSize();

        /** Relay at least this often while heartbeats arrive. */
        @WithDefault("PT1S")
        Duration batchInterval();

        /** Boxes whose presence is kept for a later relay while the functions are unreachable. */
        @WithDefault("1000000")
        int backlogLimit();
    }

    interface Commands {
        /**
         * How long the edge's wake-up feed request may wait at the registry for new commands of its
         * boxes (a long poll: the registry answers as soon as there are some).
         */
        @WithDefault("PT20S")
        Duration wakeUpWait();

        /** The pause before asking again after a failed feed request, or an empty answer that came early. */
        @WithDefault("PT0.5S")
        Duration wakeUpRetry();
    }

    interface Registrations {
        /**
         * HELLOs relayed to the functions in one call at most (1 to 500): the functions register a
         * batch in one transaction, one commit for all of its boxes. 1 relays each HELLO on its own.
         */
        @WithDefault("64")
        int batchSize();

        /** How long the first HELLO of a batch waits for others before the batch is relayed. */
        @WithDefault("PT0.005S")
        Duration batchWait();

        /**
         * Registration calls out at once; HELLOs that come while this many are out wait on the edge and
         * go together in the next call (up to {@code batch-size}). Without a limit a storm sent a call
         * every batch wait with a few HELLOs each (7 per call at 1,000/s), and the calls queued in the
         * functions for their 16 database connections (1.5 s per call on average): the limit makes
         * batches grow with the load instead, so each HELLO costs fewer statements, commits and HTTP
         * requests exactly when those are scarce. Two rather than four: at 1,000 HELLOs a second the p99
         * was lower with two in every pair of runs alternating the two (eight pairs in sessions 9 and 22,
         * 71–174 ms against 113–266 ms on a loaded machine), for the same CPU a registration.
         */
        @WithDefault("2")
        int callsInFlight();

        /**
         * How long a registration call may take. It is made once: a box gives up its handshake after
         * 5 s and starts a new one, so a later answer is lost, and a repeat of a call the functions are
         * still working on only adds to their load. Keep it below the boxes' handshake timeout.
         */
        @WithDefault("PT4S")
        Duration timeout();

        /**
         * A HELLO that has been on the edge longer than this (from when its datagram was read) when its
         * call would leave is not relayed, and its box not answered. A box waits 5 s for its answer and
         * then sends a new HELLO; under the overload in which HELLOs wait this long a registration call
         * takes seconds (p99 2.9 s at 600/s), so one older than 4 s would be answered after its box gave
         * up: relaying it spends a registration transaction for nothing and delays the fresh HELLOs
         * behind it. Counted in {@code edge_registrations_dropped_total{reason=too_old}}.
         */
        @WithDefault("PT4S")
        Duration maxAge();

        /**
         * How long after the functions last admitted a box this edge answers the box's re-keying
         * itself (0 to 24 h; 0: every RECONNECT goes to the functions). A box starts a new handshake
         * every 120 s; a RECONNECT from the box's current session's address, carrying the same box
         * information the functions answered OK to, changes nothing in the registry, and relaying it
         * cost the console ~1.7 ms of CPU and a transaction (N boxes re-key N / 120 times a second).
         * Boxes the registry stops serving (rejected, deleted, address released) lose their session
         * with the next heartbeat batch's answer, so their next handshake goes to the functions.
         */
        @WithDefault("PT1H")
        Duration rekeysAtEdgeFor();
    }

    interface Handshakes {
        /** Handshakes per second above which boxes must present a cookie (mac2). */
        @WithDefault("2000")
        int underLoadPerSecond();

        /**
         * Handshakes per second one source address may start (a burst of twice that is allowed).
         * Boxes behind one NAT share an address: raise it for large sites.
         */
        @WithDefault("50")
        double perSourcePerSecond();
    }
}
