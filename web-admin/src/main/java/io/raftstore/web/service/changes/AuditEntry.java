package io.raftstore.web.service.changes;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One admin action: who did what, from where (the remote address of the request, which is the proxy's when
 * one is in front), when, and how it ended.
 */
public record AuditEntry(Instant when, String who, String from, String what, boolean ok, String result) {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public String getWhenText() { return FORMAT.format(when) + " UTC"; }
    public String getWho() { return who; }
    public String getFrom() { return from; }
    public String getWhat() { return what; }
    public boolean isOk() { return ok; }
    public String getResult() { return result; }

    /** One JSON object, as kept in the audit file and given by {@code GET /api/cluster/audit}. */
    public JsonObject toJson() {
        JsonObjectBuilder o = Json.createObjectBuilder().add("when", when.toString());
        text(o, "who", who);
        text(o, "from", from);
        text(o, "what", what);
        o.add("ok", ok);
        text(o, "result", result);
        return o.build();
    }

    /** Read back from {@link #toJson()}; {@link JsonException} when "when" or "ok" is missing. */
    public static AuditEntry fromJson(JsonObject o) {
        String when = o.getString("when", null);
        if (when == null || !o.containsKey("ok")) {
            throw new JsonException("an audit entry needs \"when\" and \"ok\"");
        }
        return new AuditEntry(Instant.parse(when), o.getString("who", null), o.getString("from", null),
                o.getString("what", null), o.getBoolean("ok"), o.getString("result", null));
    }

    private static void text(JsonObjectBuilder o, String name, String value) {
        if (value == null) {
            o.addNull(name);
        } else {
            o.add(name, value);
        }
    }
}
