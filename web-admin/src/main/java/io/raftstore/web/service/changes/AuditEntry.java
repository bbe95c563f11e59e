package io.raftstore.web.service.changes;

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
}
