package io.raftstore.web.console.actions;

import java.time.Instant;

/** One admin action: who did what, when, and how it ended. */
public record AuditEntry(Instant when, String who, String what, boolean ok, String result) {

    public Instant getWhen() { return when; }
    public String getWho() { return who; }
    public String getWhat() { return what; }
    public boolean isOk() { return ok; }
    public String getResult() { return result; }
}
