package io.starconsole.bench;

import java.io.IOException;
import java.util.Locale;

/**
 * The CPU of the processes of one registration run: this JVM (the boxes), the console's edge and
 * functions (children of this JVM, told apart by their jar) and PostgreSQL's server processes
 * ({@link Proc#treeCpuTicks} of the postmaster).
 */
record ProcessCpu(long generator, long edge, long functions, long postmaster) {

    /** CPU ticks of each process at one instant, or since another reading. */
    record Reading(long generator, long edge, long functions, long postgres) {

        Reading minus(Reading earlier) {
            return new Reading(generator - earlier.generator, edge - earlier.edge, functions - earlier.functions,
                    postgres - earlier.postgres);
        }

        /** Each process's share of a core over {@code seconds}, and its microseconds per one of {@code count}. */
        String format(double seconds, long count) {
            return String.format(Locale.ROOT, "generator %s, edge %s, functions %s, postgres %s",
                    one(generator, seconds, count), one(edge, seconds, count), one(functions, seconds, count),
                    one(postgres, seconds, count));
        }

        private static String one(long ticks, double seconds, long count) {
            double cpuSeconds = ticks / (double) Proc.CLOCK_TICKS_PER_SECOND;
            return String.format(Locale.ROOT, "%.0f%% of a core = %.0f µs", 100 * cpuSeconds / seconds,
                    1e6 * cpuSeconds / count);
        }
    }

    static ProcessCpu of(long postmaster) {
        return new ProcessCpu(ProcessHandle.current().pid(), child("udp-edge"), child("functions"), postmaster);
    }

    Reading read() throws IOException {
        return new Reading(Proc.cpuTicks(generator), Proc.cpuTicks(edge), Proc.cpuTicks(functions),
                Proc.treeCpuTicks(postmaster));
    }

    /** The child of this JVM whose command line runs {@code module}'s jar. */
    private static long child(String module) {
        String jar = module + "/target/quarkus-app/quarkus-run.jar";
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(line -> line.contains(jar)).orElse(false))
                .findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no child process runs " + jar));
    }
}
