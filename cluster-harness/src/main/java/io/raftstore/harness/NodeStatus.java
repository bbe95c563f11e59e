package io.raftstore.harness;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;

/**
 * One node as {@code ./cluster status --json} reports it: {@code pid} is null when the node is down, and
 * {@code role}, {@code term} and {@code leaderId} are null when it does not answer ({@code up} false) or,
 * for {@code leaderId}, when it knows no leader.
 */
public record NodeStatus(int number, String id, Long pid, URI url, boolean up, String role, Long term, String leaderId) {

    static NodeStatus of(JsonObject o) {
        return new NodeStatus(o.getInt("number"), o.getString("id"), number(o, "pid"), URI.create(o.getString("url")),
                o.getBoolean("up"), string(o, "role"), number(o, "term"), string(o, "leaderId"));
    }

    public boolean isLeader() {
        return "LEADER".equals(role);
    }

    private static String string(JsonObject o, String key) {
        return o.get(key) == null || o.isNull(key) ? null : o.getString(key);
    }

    private static Long number(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonNumber n ? n.longValueExact() : null;
    }
}
