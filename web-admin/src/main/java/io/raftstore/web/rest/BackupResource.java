package io.raftstore.web.rest;

import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import io.raftstore.web.service.backup.NodeBackups;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;

/**
 * {@code POST /api/cluster/backup} (admin): an online backup of THIS node as a zip, the console's download
 * ({@link NodeBackups}) for scripts: {@code curl -u admin:... -X POST -o backup.zip .../api/cluster/backup}.
 * Restore it with {@code ./cluster restore I FILE} or the procedure in docs/operations.md.
 */
@Path("cluster/backup")
public class BackupResource {

    @Inject
    NodeBackups backups;

    @POST
    @Access(ApiRole.ADMIN)
    @Produces("application/zip")
    public Response backup(@Context SecurityContext caller) throws IOException {
        NodeBackups.Made made;
        try {
            made = backups.make(caller.getUserPrincipal().getName(), "REST ");
        } catch (NodeBackups.BackupFailedException e) {
            throw new ApiException(503, "UNAVAILABLE", e.getMessage(), null);
        }
        StreamingOutput zip = out -> {
            try (made) {
                made.writeTo(out);
            }
        };
        return Response.ok(zip, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + made.fileName() + "\"").build();
    }
}
