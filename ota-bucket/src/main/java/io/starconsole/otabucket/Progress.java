package io.starconsole.otabucket;

import java.io.PrintStream;

/** Upload progress: a redrawn bar on a terminal, a plain line every 10% otherwise (logs, CI). */
abstract class Progress {

    protected final PrintStream out;
    protected final long total;

    private Progress(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    static Progress forOutput(PrintStream out, long total, boolean terminal) {
        return terminal ? new Bar(out, total) : new Lines(out, total);
    }

    abstract void update(long done);

    abstract void finish();

    protected int percent(long done) {
        return total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
    }

    private static final class Bar extends Progress {
        private static final int WIDTH = 40;
        private int shown = -1;

        Bar(PrintStream out, long total) {
            super(out, total);
        }

        @Override
        void update(long done) {
            int p = percent(done);
            if (p != shown) {
                shown = p;
                int filled = p * WIDTH / 100;
                out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + p + "% "
                        + (done >> 20) + "/" + (total >> 20) + " MiB");
                out.flush();
            }
        }

        @Override
        void finish() {
            update(total);
            out.println();
        }
    }

    private static final class Lines extends Progress {
        private int shown = -1;

        Lines(PrintStream out, long total) {
            super(out, total);
        }

        @Override
        void update(long done) {
            int p = percent(done) / 10 * 10;
            if (p > shown) {
                shown = p;
                out.println("uploaded " + p + "% (" + done + " of " + total + " bytes)");
            }
        }

        @Override
        void finish() {
            update(total);
        }
    }
}
