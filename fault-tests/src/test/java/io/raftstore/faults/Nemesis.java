package io.raftstore.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Seeded faults, one episode at a time: pick a fault and its victims from the current leader, hold it,
 * undo it, let the cluster settle. Each episode records which nodes should have kept serving writes (the
 * majority side), so a run can measure the longest time that side acknowledged no write.
 */
final class Nemesis {

    /** The faults a run draws from. */
    enum Fault {
        KILL_LEADER, PAUSE_LEADER, ISOLATE_LEADER, ISOLATE_FOLLOWER, LEADER_HEARS_NO_ONE, NO_ONE_HEARS_LEADER,
        LOSSY_LINK, SLOW_LINK, TRANSFER_LEADERSHIP, BRIDGE, RING,
        /**
         * The leader cut off from the other nodes and paused (a long GC on a flaky network), then resumed while
         * still cut off, so for a while it hears of no newer term and its own clients' requests, queued during
         * the pause, reach it: a leader that counted its lease across the pause would serve them stale values.
         */
        PAUSE_ISOLATED_LEADER,
        /**
         * The leader's disk stops answering (fsfreeze on its own filesystem: a SAN or cloud volume that hangs)
         * while its process and network go on: its loop waits in a write, its request threads do not, and the
         * followers elect another leader. Needs a cluster with its own disks ({@link NetnsCluster#ownDisks()}).
         */
        FREEZE_LEADER_DISK,
        /**
         * A new node added as a learner while a follower is cut off, promoted to voter, then removed and
         * stopped: slow (the node's server starts), so runs ask for it rather than draw it.
         */
        MEMBERSHIP_WHILE_CUT
    }

    /** What happened: times in the history's milliseconds; {@code serving} should have acknowledged writes. */
    record Episode(Fault fault, String victims, long from, long to, Set<Integer> serving) {
        @Override
        public String toString() {
            return fault + "(" + victims + ") " + from + ".." + to + " ms";
        }
    }

    private final NetnsCluster cluster;
    private final History history;
    private final Random rnd;
    private final List<Episode> episodes = new ArrayList<>();

    Nemesis(NetnsCluster cluster, History history, long seed) {
        this.cluster = cluster;
        this.history = history;
        this.rnd = new Random(seed);
    }

    List<Episode> episodes() {
        return episodes;
    }

    /**
     * Runs the {@code first} faults, then seeded ones until {@code seconds} have passed; every fault is
     * undone before this returns.
     */
    void run(int seconds, List<Fault> first) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (Fault f : first) {
            episode(f);
        }
        List<Fault> menu = new ArrayList<>(List.of(Fault.values()));
        menu.remove(Fault.MEMBERSHIP_WHILE_CUT);
        if (!cluster.ownDisks()) {
            menu.remove(Fault.FREEZE_LEADER_DISK);
        }
        if (cluster.size() < 5) {
            menu.remove(Fault.BRIDGE); // a bridge and a ring need five nodes to leave a majority connected
            menu.remove(Fault.RING);
        }
        while (System.nanoTime() < end) {
            episode(menu.get(rnd.nextInt(menu.size())));
        }
    }

    void episode(Fault fault) throws Exception {
        int all = cluster.size();
        int leader = cluster.awaitLeaderSeenBy(Duration.ofSeconds(30), everyNode());
        int other = pickOtherThan(leader);
        Set<Integer> serving = everyNodeBut(0);
        String victims = "n" + leader;
        // Cuts last long enough that a majority which lost its leader some seconds into a cut (as when one
        // JGroups sender thread waited on a black-holed peer) shows a gap beyond the bound.
        long hold = switch (fault) {
            case KILL_LEADER, PAUSE_LEADER, PAUSE_ISOLATED_LEADER, FREEZE_LEADER_DISK, TRANSFER_LEADERSHIP ->
                    3000 + rnd.nextInt(2000);
            default -> 6000 + rnd.nextInt(2000);
        };
        long from = history.millis();
        switch (fault) {
            case KILL_LEADER -> {
                cluster.onNode("kill", leader);
                serving = everyNodeBut(leader);
                sleep(hold);
                cluster.onNode("restart", leader);
            }
            case PAUSE_LEADER -> {
                cluster.onNode("pause", leader);
                serving = everyNodeBut(leader);
                sleep(hold);
                cluster.onNode("resume", leader);
            }
            case FREEZE_LEADER_DISK -> {
                cluster.local().freezeDisk(leader, true);
                serving = everyNodeBut(leader);
                try {
                    sleep(hold);
                } finally {
                    cluster.local().freezeDisk(leader, false); // a node waiting on a frozen disk cannot even be killed
                }
            }
            case PAUSE_ISOLATED_LEADER -> {
                cluster.onNode("isolate", leader);
                cluster.onNode("pause", leader);
                serving = everyNodeBut(leader);
                sleep(hold);
                cluster.onNode("resume", leader);
                sleep(1000 + rnd.nextInt(1000)); // resumed, still cut off: it answers the requests that waited
                cluster.script("heal");
            }
            case ISOLATE_LEADER -> {
                cluster.onNode("isolate", leader);
                serving = everyNodeBut(leader);
                sleep(hold);
                cluster.script("heal");
            }
            case ISOLATE_FOLLOWER -> {
                victims = "n" + other;
                cluster.onNode("isolate", other);
                serving = everyNodeBut(other);
                sleep(hold);
                cluster.script("heal");
            }
            case LEADER_HEARS_NO_ONE, NO_ONE_HEARS_LEADER -> {
                boolean deaf = fault == Fault.LEADER_HEARS_NO_ONE;
                for (int i = 1; i <= all; i++) {
                    if (i != leader) {
                        cluster.onNode("oneway", deaf ? leader : i, Integer.toString(deaf ? i : leader));
                    }
                }
                serving = everyNodeBut(leader);
                sleep(hold);
                cluster.script("heal");
            }
            case SLOW_LINK -> { // the leader's packets wait 50 ms (jitter 12 ms): its followers' acks come late
                victims = "n" + leader + " +50 ms";
                cluster.onNode("slow", leader, "50");
                sleep(hold);
                cluster.script("heal");
            }
            case LOSSY_LINK -> {
                victims = "n" + other + " 20%";
                cluster.onNode("loss", other, "20");
                sleep(hold);
                cluster.script("heal");
            }
            case TRANSFER_LEADERSHIP -> {
                victims = "n" + leader + " -> n" + other;
                transfer(leader, other);
                sleep(hold);
            }
            case MEMBERSHIP_WHILE_CUT -> {
                int added = cluster.add();
                victims = "n" + added + " added, n" + other + " cut off";
                String host = URI.create(cluster.url(added)).getHost();
                expect2xx(cluster.admin("POST", leader, "/api/cluster/members", "{\"id\":\"n" + added
                        + "\",\"address\":\"" + host + ":" + (17800 + added) + "\",\"httpUrl\":\""
                        + cluster.url(added) + "\"}"), "add n" + added + " as a learner");
                cluster.onNode("isolate", other);
                serving = everyNodeBut(other);
                promote(added);
                sleep(hold);
                cluster.script("heal");
                int now = cluster.awaitLeaderSeenBy(Duration.ofSeconds(30), everyNode());
                expect2xx(cluster.admin("DELETE", now, "/api/cluster/members/n" + added, null), "remove n" + added);
                cluster.onNode("kill", added);
            }
            case BRIDGE -> { // {a,b} and {d,e} cannot talk; c, the bridge, talks to everyone
                int[] p = permutation(all);
                victims = "n" + p[0] + ",n" + p[1] + " | n" + p[2] + " | n" + p[3] + ",n" + p[4];
                for (int x : new int[]{p[0], p[1]}) {
                    for (int y : new int[]{p[3], p[4]}) {
                        cluster.onNode("cut", x, Integer.toString(y));
                    }
                }
                sleep(hold);
                cluster.script("heal");
            }
            case RING -> { // each node talks to its two neighbours only: every node sees a majority
                int[] p = permutation(all);
                victims = Arrays.toString(p);
                for (int i = 0; i < all; i++) {
                    cluster.onNode("cut", p[i], Integer.toString(p[(i + 2) % all]));
                }
                sleep(hold);
                cluster.script("heal");
            }
        }
        long to = history.millis();
        episodes.add(new Episode(fault, victims, from, to, serving));
        sleep(1000 + rnd.nextInt(1000)); // settle: the next fault starts from a healthy cluster
    }

    private void transfer(int leader, int target) throws IOException, InterruptedException {
        HttpResponse<String> r = cluster.admin("POST", leader, "/api/cluster/transfer?target=n" + target, null);
        if (r.statusCode() / 100 != 2) {
            System.out.println("nemesis: transfer to n" + target + " answered " + r.statusCode() + " " + r.body());
        }
    }

    /** Promotes a learner once it has caught up: the leader refuses a learner still behind, so ask again. */
    private void promote(int learner) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        HttpResponse<String> r;
        do {
            int leader = cluster.leader();
            r = leader == 0 ? null : cluster.admin("POST", leader, "/api/cluster/members/n" + learner + "/promote", null);
            if (r != null && r.statusCode() / 100 == 2) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("n" + learner + " could not be promoted within 60 s: "
                + (r == null ? "no leader" : r.statusCode() + " " + r.body()) + "\n" + cluster.describe());
    }

    private static void expect2xx(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private int pickOtherThan(int node) {
        int o = 1 + rnd.nextInt(cluster.size() - 1);
        return o >= node ? o + 1 : o;
    }

    private int[] permutation(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add(i);
        }
        Collections.shuffle(l, rnd);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] everyNode() {
        return IntStream.rangeClosed(1, cluster.size()).toArray();
    }

    private Set<Integer> everyNodeBut(int node) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 1; i <= cluster.size(); i++) {
            if (i != node) {
                s.add(i);
            }
        }
        return s;
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis); // the fault's duration: the point of the episode, not a wait for a condition
    }
}
