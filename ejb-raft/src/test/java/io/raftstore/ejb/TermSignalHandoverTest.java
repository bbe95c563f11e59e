package io.raftstore.ejb;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to a real child JVM: the handover runs first, then the signal goes on and the JVM exits as usual. */
class TermSignalHandoverTest {

    @Test
    void sigtermRunsTheHandoverBeforeTheJvmBeginsToExitAndStillEndsIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                SigtermChild.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine(), "the handler was installed");
            child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the JVM exited after the handover");
            List<String> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            assertEquals(List.of("handover", "exit hook"), lines, "handover first, then the JVM's own exit");
            assertEquals(143, child.exitValue(), "the exit status of a SIGTERM, as without the handler");
        } finally {
            child.destroyForcibly();
        }
    }
}
