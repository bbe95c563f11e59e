package io.raftstore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the servers under test have used so far: user plus system clock ticks of the processes named by
 * the system property {@code bench.cpu.pids} (comma-separated), from {@code /proc/PID/stat}. Read by a
 * harness around its measured window only, so that its own warm-up is not counted. -1 when no processes
 * were named.
 */
final class ServerCpu {
    private ServerCpu() {
    }

    static long ticks() {
        String pids = System.getProperty("bench.cpu.pids", "");
        if (pids.isBlank()) {
            return -1;
        }
        long total = 0;
        for (String pid : pids.split(",")) {
            total += ticksOf(pid.trim());
        }
        return total;
    }

    private static long ticksOf(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }
}
