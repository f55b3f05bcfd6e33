package io.starconsole.firmware;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Version order: dot-separated parts compared left to right; two numeric parts compare as numbers
 * (1.10.0 > 1.9.3), otherwise the parts compare as text; a missing part counts as "0"
 * (1.2 == 1.2.0).
 */
public final class Versions {

    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    public static int compare(String a, String b) {
        String[] left = a.split("\\.", -1);
        String[] right = b.split("\\.", -1);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            String x = i < left.length ? left[i] : "0";
            String y = i < right.length ? right[i] : "0";
            int c = isNumeric(x) && isNumeric(y) ? new BigInteger(x).compareTo(new BigInteger(y)) : x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    /** True when {@code candidate} is strictly newer than {@code running}. */
    public static boolean isNewer(String candidate, String running) {
        return compare(candidate, running) > 0;
    }

    private static boolean isNumeric(String part) {
        if (part.isEmpty()) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
