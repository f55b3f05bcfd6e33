package io.starconsole.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The CPU of the processes of one bench run: this JVM (the boxes), the console's edge and
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

        /** These ticks times {@code factor}, rounded: an idle rate carried over a longer window. */
        Reading scaled(double factor) {
            return new Reading(Math.round(generator * factor), Math.round(edge * factor),
                    Math.round(functions * factor), Math.round(postgres * factor));
        }

        /** Each process's share of a core over {@code seconds}, and its microseconds per one of {@code count}. */
        String format(double seconds, long count) {
            return describe(ticks -> share(ticks, seconds) + " = " + perEach(ticks, count));
        }

        /** Each process's share of a core over {@code seconds}. */
        String shares(double seconds) {
            return describe(ticks -> share(ticks, seconds));
        }

        /** Each process's microseconds of CPU per one of {@code count}. */
        String perEach(long count) {
            return describe(ticks -> perEach(ticks, count));
        }

        private String describe(LongFunction<String> figure) {
            return "generator " + figure.apply(generator) + ", edge " + figure.apply(edge) + ", functions "
                    + figure.apply(functions) + ", postgres " + figure.apply(postgres);
        }

        private static String share(long ticks, double seconds) {
            return String.format(Locale.ROOT, "%.0f%% of a core", 100 * cpuSeconds(ticks) / seconds);
        }

        private static String perEach(long ticks, long count) {
            return String.format(Locale.ROOT, "%.0f µs", 1e6 * cpuSeconds(ticks) / count);
        }

        private static double cpuSeconds(long ticks) {
            return ticks / (double) Proc.CLOCK_TICKS_PER_SECOND;
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
