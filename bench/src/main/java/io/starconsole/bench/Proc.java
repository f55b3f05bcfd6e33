package io.starconsole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux tells about a process (CPU time, resident memory) and about the machine (load average). */
final class Proc {

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux (always 100 on x86-64). */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private Proc() {
    }

    /** utime + stime of {@code pid}, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return cpuTicksFromStat(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    }

    /**
     * utime + stime (fields 14 and 15) from a /proc/<pid>/stat line. The command name (field 2) is in
     * parentheses and may itself hold spaces or parentheses, so fields are counted after the last ')'.
     */
    static long cpuTicksFromStat(String stat) {
        String[] after = fieldsAfterName(stat);
        // after[0] is field 3 (state), so field n is after[n - 3]
        return Long.parseLong(after[14 - 3]) + Long.parseLong(after[15 - 3]);
    }

    /**
     * CPU ticks of a process tree one level deep, as a server like PostgreSQL forms it: the parent's
     * own utime + stime, plus cutime + cstime (its children that have ended and were reaped), plus
     * utime + stime of each child alive now. Two readings apart give the tree's CPU in between,
     * short-lived children included.
     */
    static long treeCpuTicks(long parentPid) throws IOException {
        long total = cpuTicks(parentPid) + reapedChildrenTicksFromStat(
                Files.readString(Path.of("/proc", String.valueOf(parentPid), "stat")));
        try (var entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue; // ended between listing and reading: its time is in the parent's cutime now
                }
                if (parentPidFromStat(stat) == parentPid) {
                    total += cpuTicksFromStat(stat);
                }
            }
        }
        return total;
    }

    /**
     * utime + stime of each thread of {@code pid} alive now, summed by thread name with its numbers
     * taken out ({@code edge-udp-2-1} and {@code edge-udp-2-2} are {@code edge-udp-N-N}); Linux keeps
     * the first 15 characters of a name. Two readings apart give what each kind of thread spent.
     */
    static java.util.Map<String, Long> threadCpuTicks(long pid) throws IOException {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // ended between listing and reading
                }
                byName.merge(threadNameFromStat(stat), cpuTicksFromStat(stat), Long::sum);
            }
        }
        return byName;
    }

    /** The name (field 2, between the first '(' and the last ')') with its numbers (after '-' or '#', or at its end) as N. */
    static String threadNameFromStat(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("(?<=[-#])[0-9]+|[0-9]+$", "N");
    }

    /** The parent process id (field 4) from a /proc/<pid>/stat line. */
    static long parentPidFromStat(String stat) {
        return Long.parseLong(fieldsAfterName(stat)[4 - 3]);
    }

    /** cutime + cstime (fields 16 and 17): CPU of children that ended and were waited for. */
    static long reapedChildrenTicksFromStat(String stat) {
        String[] after = fieldsAfterName(stat);
        return Long.parseLong(after[16 - 3]) + Long.parseLong(after[17 - 3]);
    }

    /** Fields from 3 on: the name (field 2) is in parentheses and may itself hold spaces or ')'. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** VmRSS of {@code pid} in KiB, or -1 if the process is gone. */
    static long rssKib(long pid) {
        try {
            return rssKibFromStatus(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long rssKibFromStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /**
     * UDP datagrams the kernel dropped because a socket's receive buffer was full (RcvbufErrors in
     * /proc/net/snmp; the whole machine's, every process's sockets); -1 if unreadable.
     */
    static long udpReceiveBufferErrors() {
        try {
            return udpReceiveBufferErrorsFromSnmp(Files.readString(Path.of("/proc/net/snmp")));
        } catch (IOException e) {
            return -1;
        }
    }

    static long udpReceiveBufferErrorsFromSnmp(String snmp) {
        String[] names = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Udp: ")) {
                continue;
            }
            String[] fields = line.substring(5).trim().split("\\s+");
            if (names == null) {
                names = fields;
            } else {
                for (int i = 0; i < names.length && i < fields.length; i++) {
                    if (names[i].equals("RcvbufErrors")) {
                        return Long.parseLong(fields[i]);
                    }
                }
            }
        }
        return -1;
    }

    /** The three load averages, as /proc/loadavg shows them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Cores, Java, load average and {@link MachineSpeed}: what a bench's figures were taken on. */
    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average " + loadAverage() + "; " + MachineSpeed.describe();
    }
}
