package io.raftstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One client PUTs back to back through a node's REST API and records when each write was acknowledged;
 * after {@code beforeSeconds} it signals process {@code pid} (TERM: a graceful stop, KILL: a crash) and
 * goes on for {@code afterSeconds}. Prints the longest gap between two acknowledged writes from the
 * signal on, the typical gap before it (the client's own round trip, to subtract), and failed writes.
 * Nanosecond clock, one JVM: no process spawns between writes blur the figure.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.raftstore.bench.WritePauseProbe
 * http://127.0.0.1:9082 PID TERM 2 4}
 */
public final class WritePauseProbe {

    private WritePauseProbe() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        long pid = Long.parseLong(args[1]);
        boolean kill = args.length > 2 && args[2].equals("KILL");
        int before = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int after = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        RestPut rest = new RestPut(base);
        ProcessHandle target = ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid));
        List<Long> acked = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        Instant wallStart = Instant.now(); // to place the gap in the nodes' logs
        long signalAt = start + before * 1_000_000_000L;
        long end = signalAt + after * 1_000_000_000L;
        boolean signalled = false;
        for (int i = 0; System.nanoTime() < end; i++) {
            if (!signalled && System.nanoTime() >= signalAt) {
                signalAt = System.nanoTime();
                if (kill) {
                    target.destroyForcibly();
                } else {
                    target.destroy();
                }
                signalled = true;
            }
            try {
                if (rest.put("pause-probe", Integer.toString(i).getBytes(StandardCharsets.US_ASCII))) {
                    acked.add(System.nanoTime());
                } else {
                    failed++;
                }
            } catch (IOException e) {
                failed++;
            }
        }
        long longest = 0;
        long longestEnd = start;
        List<Long> normal = new ArrayList<>();
        List<long[]> gaps = new ArrayList<>(); // {gap, end}
        for (int i = 1; i < acked.size(); i++) {
            long gap = acked.get(i) - acked.get(i - 1);
            if (acked.get(i) > signalAt) {
                gaps.add(new long[] {gap, acked.get(i)});
                if (gap > longest) {
                    longest = gap;
                    longestEnd = acked.get(i);
                }
            } else {
                normal.add(gap);
            }
        }
        // The handover happens within ms of the signal; Liberty's own stop (~0.1-1 s later) slows a shared
        // machine too. Where the longest gaps ended tells the two apart.
        gaps.sort((a, b) -> Long.compare(b[0], a[0]));
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, gaps.size()); i++) {
            top.append(i == 0 ? "" : ", ").append(String.format("%.1f ms ending %+.0f ms", gaps.get(i)[0] / 1e6,
                    (gaps.get(i)[1] - signalAt) / 1e6));
        }
        normal.sort(null);
        double typical = normal.isEmpty() ? Double.NaN : normal.get(normal.size() / 2) / 1e6;
        System.out.printf("%s of pid %d: longest gap between acknowledged writes after the signal %.1f ms "
                        + "(typical gap before it %.2f ms); %d writes acknowledged, %d failed; signal at %s, gap ended %s%n",
                kill ? "KILL" : "TERM", pid, longest / 1e6, typical, acked.size(), failed,
                wallStart.plusNanos(signalAt - start), wallStart.plusNanos(longestEnd - start));
        long handover = 0; // the longest gap that ended within 100 ms of the signal
        for (long[] g : gaps) {
            if (g[1] - signalAt <= 100_000_000L) {
                handover = Math.max(handover, g[0]);
            }
        }
        System.out.println("  longest gaps after the signal (and where they ended, from the signal): " + top);
        System.out.printf("  longest gap ending within 100 ms of the signal (the handover): %.1f ms%n", handover / 1e6);
    }
}
