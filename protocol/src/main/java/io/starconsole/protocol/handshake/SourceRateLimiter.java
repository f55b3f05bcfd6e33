package io.starconsole.protocol.handshake;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address for handshake initiations (checked after mac1, before any
 * X25519). Holds at most {@code maxSources} buckets; when full, idle buckets are dropped, and if
 * none is idle new sources are refused until some are.
 */
public final class SourceRateLimiter {

    private static final long IDLE_NANOS = 1_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    public SourceRateLimiter(double initiationsPerSecond, int burst, int maxSources, LongSupplier nanoClock) {
        this.tokensPerNano = initiationsPerSecond / 1e9;
        this.burst = burst;
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
    }

    /** 50 initiations per second per address, bursts of 100 (a NAT with a few thousand boxes re-keying), 100,000 sources. */
    public static SourceRateLimiter withDefaults(LongSupplier nanoClock) {
        return new SourceRateLimiter(50, 100, 100_000, nanoClock);
    }

    public boolean tryAcquire(InetAddress source) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maxSources) {
                buckets.values().removeIf(b -> b.idleSince(now));
                if (buckets.size() >= maxSources) {
                    return false;
                }
            }
            bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
        }
        return bucket.take(now, tokensPerNano, burst);
    }

    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        synchronized boolean take(long now, double tokensPerNano, double burst) {
            tokens = Math.min(burst, tokens + (now - lastNanos) * tokensPerNano);
            lastNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean idleSince(long now) {
            return now - lastNanos > IDLE_NANOS;
        }
    }
}
