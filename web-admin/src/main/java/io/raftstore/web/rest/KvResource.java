package io.raftstore.web.rest;

import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Base64;
import java.util.Map;

/**
 * The key-value API's prefix scan, {@code GET /api/kv?prefix=P&limit=N&consistency=C}: keys in order with
 * their values (base64) and versions, and {@code RaftStore-More: true} when the page was cut at the limit.
 * Needs the {@code reader} role ({@link AccessFilter}). Single keys are answered by {@link KeyRequests}.
 */
@Path("kv")
@ApplicationScoped
public class KvResource {

    private static final int DEFAULT_SCAN_LIMIT = 100;
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    @EJB
    RaftStoreLocal node;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Access(ApiRole.READER)
    public Response scan(@QueryParam("prefix") @DefaultValue("") String prefix,
                         @QueryParam("limit") @DefaultValue("" + DEFAULT_SCAN_LIMIT) int limit,
                         @QueryParam("consistency") @DefaultValue("linearizable") String consistency) {
        ScanPage scan = node.scan(prefix, limit, KeyRequests.consistency(consistency));
        JsonArrayBuilder list = JSON.createArrayBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        for (Versioned v : scan.entries()) {
            list.add(JSON.createObjectBuilder().add("key", v.key()).add("value", b64.encodeToString(v.value()))
                    .add("version", v.version()));
        }
        return Response.ok(list.build().toString(), MediaType.APPLICATION_JSON)
                .header("RaftStore-More", String.valueOf(scan.more())).build();
    }
}
