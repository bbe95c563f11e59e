package io.raftstore.ejb;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a child JVM running a real three-node cluster (see {@link SigtermChild}): the leader hands
 * leadership over before the JVM begins to exit, then the signal goes on and the JVM exits as usual.
 */
class TermSignalHandoverTest {

    @Test
    void sigtermMakesTheLeaderHandOverBeforeTheJvmBeginsToExitAndStillEndsIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                SigtermChild.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = readLineSkippingLogs(out);
            assertTrue(ready.startsWith("ready n"), "the handler was installed: " + ready);
            String leader = ready.substring("ready ".length());
            child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the JVM exited after the handover");
            List<String> lines = new ArrayList<>();
            for (String line; (line = readLineSkippingLogs(out)) != null; ) {
                lines.add(line);
            }
            assertEquals(2, lines.size(), "handover, then the JVM's own exit: " + lines);
            assertEquals("handover", lines.get(0), "the handover ran first: " + lines);
            String roles = lines.get(1);
            String next = roles.replaceAll(".*\\b(n\\d) LEADER.*", "$1");
            assertTrue(roles.matches("exit hook: .*\\bn\\d LEADER.*") && !next.equals(leader),
                    "another node leads when the JVM begins to exit: " + roles);
            assertTrue(roles.contains(leader + " FOLLOWER of " + next), "the old leader follows it: " + roles);
            assertEquals(143, child.exitValue(), "the exit status of a SIGTERM, as without the handler");
        } finally {
            child.destroyForcibly();
        }
    }

    /** The next line of the child's own output, past java.util.logging's (two lines a record, on stderr). */
    private static String readLineSkippingLogs(BufferedReader out) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("ready") || line.startsWith("no handler") || line.equals("handover")
                    || line.startsWith("exit hook")) {
                return line;
            }
        }
        return null;
    }
}
