package io.raftstore.web.console.actions;

import io.raftstore.web.service.backup.NodeBackups;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Streams an online backup of this node as a zip ({@link NodeBackups}, the same as {@code POST
 * /api/cluster/backup}). POST only, admins only (web.xml constrains the URL; checked here again), and audited.
 */
@WebServlet("/console/backup")
public class BackupServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    transient NodeBackups backups;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        NodeBackups.Made made;
        try {
            made = backups.make(request.getUserPrincipal().getName(), "download ");
        } catch (NodeBackups.BackupFailedException e) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.getMessage());
            return;
        }
        try (made) {
            response.setContentType("application/zip");
            response.setHeader("Content-Disposition", "attachment; filename=\"" + made.fileName() + "\"");
            made.writeTo(response.getOutputStream());
        }
    }
}
