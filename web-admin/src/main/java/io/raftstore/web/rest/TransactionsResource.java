package io.raftstore.web.rest;

import io.raftstore.api.UnknownTransactionException;
import io.raftstore.api.spi.PreparedTransaction;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The operator's way out for prepared two-phase transactions whose transaction manager never comes back
 * (its server is gone for good): they hold their keys until something commits or rolls them back. Lists
 * them, and commits or rolls one back. Admin only: the list shows keys, and resolving one decides a
 * transaction's outcome for its manager (docs/jca.md, "Prepared transactions nobody resolves").
 */
@Path("cluster/transactions")
@Produces(MediaType.APPLICATION_JSON)
public class TransactionsResource {

    @EJB
    RaftStoreLocal node;

    @Inject
    AuditLog audit;

    /** {@code [{"id": ..., "keys": [...], "preparedAt": <log index>}, ...]}, in id order. */
    @GET
    @Access(ApiRole.ADMIN)
    public String list() {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (PreparedTransaction t : node.preparedTransactions()) {
            JsonArrayBuilder keys = Json.createArrayBuilder();
            t.keys().forEach(keys::add);
            list.add(Json.createObjectBuilder().add("id", t.id()).add("keys", keys).add("preparedAt", t.preparedAt()));
        }
        return list.build().toString();
    }

    @POST
    @Path("{id}/commit")
    @Access(ApiRole.ADMIN)
    public String commit(@PathParam("id") String id, @Context SecurityContext caller) {
        return resolve(id, true, caller);
    }

    @POST
    @Path("{id}/rollback")
    @Access(ApiRole.ADMIN)
    public String rollback(@PathParam("id") String id, @Context SecurityContext caller) {
        return resolve(id, false, caller);
    }

    private String resolve(String id, boolean commit, SecurityContext caller) {
        String what = "REST " + (commit ? "commit" : "roll back") + " prepared transaction " + AuditLog.quote(id);
        try {
            node.resolvePrepared(id, commit);
        } catch (EJBException e) {
            if (e.getCause() instanceof UnknownTransactionException u) {
                audit.record(caller.getUserPrincipal().getName(), what, false, "unknown");
                throw new ApiException(404, "NOT_FOUND", u.getMessage(), null);
            }
            throw e;
        }
        audit.record(caller.getUserPrincipal().getName(), what, true, commit ? "committed" : "rolled back");
        return Json.createObjectBuilder().add("id", id).add("outcome", commit ? "COMMITTED" : "ROLLED_BACK").build()
                .toString();
    }
}
