package io.raftstore.web.console.actions;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Streams an online backup of this node as a zip: the node copies its database and latest snapshot
 * consistently into a temporary directory (writes wait meanwhile), which is zipped into the response and
 * deleted. POST only, admins only (web.xml constrains the URL; checked here again), and audited.
 */
@WebServlet("/console/backup")
public class BackupServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @EJB
    transient RaftStoreLocal node;
    @Inject
    transient AuditLog audit;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String who = request.getUserPrincipal().getName();
        String nodeId = node.status().nodeId();
        String what = "download online backup of " + nodeId;
        Path work = Files.createTempDirectory("raftstore-backup-");
        try {
            Path copy = work.resolve("backup");
            try {
                node.backup(copy);
            } catch (RuntimeException e) {
                audit.record(who, what, false, "backup failed: " + e.getMessage());
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "backup failed: " + e.getMessage());
                return;
            }
            String name = "raftstore-" + nodeId + "-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".zip";
            response.setContentType("application/zip");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
            int files = BackupArchive.zip(copy, response.getOutputStream());
            audit.record(who, what, true, name + " (" + files + " files)");
        } finally {
            BackupArchive.delete(work);
        }
    }
}
