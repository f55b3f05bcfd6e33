package io.starconsole.otabucket;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the publisher in its own JVM (started by a test with a small -Xmx) and prints its peak heap
 * use: the highest MemoryMXBean heap "used" sampled every 2 ms, and the sum of the heap pools'
 * peaks (an upper bound: pools peak at different moments).
 */
public final class MeasuredPublish {

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        int code = new Publisher(System.out, System.err, System.getenv(), null, Publisher::defaultClient).run(args);
        sampler.interrupt();
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("HEAP max=%d before=%d sampledPeak=%d poolPeakSum=%d%n",
                memory.getHeapMemoryUsage().getMax(), before, peak.get(), poolPeaks);
        System.exit(code);
    }
}
