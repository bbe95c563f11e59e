package io.raftstore.web.console.history;

import jakarta.json.JsonObject;

import java.time.Instant;

/** One leadership change as one node reported it at {@code /api/cluster/history}. */
public record ObservedChange(String observer, Instant time, long term, String oldLeader, String newLeader,
                             String cause, long leaderlessMillis) {

    static ObservedChange fromJson(String observer, JsonObject o) {
        return new ObservedChange(observer, Instant.parse(o.getString("time")), o.getJsonNumber("term").longValue(),
                o.isNull("oldLeader") ? null : o.getString("oldLeader", null),
                o.isNull("newLeader") ? null : o.getString("newLeader", null),
                o.getString("cause", "UNKNOWN"), o.getJsonNumber("leaderlessMillis").longValue());
    }
}
