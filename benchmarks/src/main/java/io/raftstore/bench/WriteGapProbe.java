package io.raftstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long a set of nodes goes without acknowledging a write: one client per given node PUTs back to back
 * (each request given up after {@code timeoutMillis}) for {@code seconds}, and the longest time in which
 * none of them had a write acknowledged, from the first acknowledged write to the end of the run, is
 * printed, with the count of acknowledged and failed writes.
 * benchmarks/partition.sh starts it, cuts a node off the network meanwhile and heals it.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes io.raftstore.bench.WriteGapProbe SECONDS TIMEOUT_MS URL...}
 */
public final class WriteGapProbe {

    private WriteGapProbe() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[1]));
        List<Long> acks = Collections.synchronizedList(new ArrayList<>());
        int[] failed = new int[1];
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int c = 2; c < args.length; c++) {
            RestPut rest = new RestPut(args[c], timeout);
            int client = c;
            Thread t = new Thread(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    boolean ok;
                    try {
                        ok = rest.put("gap-" + client, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        ok = false;
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (ok) {
                        acks.add(System.nanoTime());
                    } else {
                        synchronized (failed) {
                            failed[0]++;
                        }
                    }
                }
            });
            clients.add(t);
            t.start();
        }
        for (Thread t : clients) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(acks);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf("acknowledged 0 failed %d longest_gap_ms %d (no write acknowledged)%n", failed[0],
                    (System.nanoTime() - start) / 1_000_000);
            return;
        }
        // From the first acknowledgement on: before it the clients were still connecting and warming up.
        long last = sorted.get(0);
        long longest = 0;
        long longestEndsAt = start;
        for (long t : sorted) {
            if (t - last > longest) {
                longest = t - last;
                longestEndsAt = t;
            }
            last = t;
        }
        System.out.printf("acknowledged %d failed %d longest_gap_ms %d (ending %d ms into the run)%n",
                sorted.size(), failed[0], longest / 1_000_000, (longestEndsAt - start) / 1_000_000);
    }
}
