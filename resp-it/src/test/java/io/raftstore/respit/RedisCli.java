package io.raftstore.respit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-cli}, run as a user would: one command per process, the password in REDISCLI_AUTH
 * (not on the command line), raw output (stdout is not a terminal). Every run is bounded.
 */
final class RedisCli {

    private final InetSocketAddress endpoint;
    private final String user;
    private final String password;

    RedisCli(InetSocketAddress endpoint, String user, String password) {
        this.endpoint = endpoint;
        this.user = user;
        this.password = password;
    }

    /** The output of one command, without its final newline. */
    String run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", endpoint.getHostString(),
                "-p", Integer.toString(endpoint.getPort())));
        if (user != null) {
            args.addAll(List.of("--user", user));
        }
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        if (password != null) {
            builder.environment().put("REDISCLI_AUTH", password);
        }
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli " + String.join(" ", command) + " did not finish in 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }
}
