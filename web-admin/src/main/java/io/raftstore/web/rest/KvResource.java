package io.raftstore.web.rest;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Precondition;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.WriteOutcome;
import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The key-value API: GET/PUT/DELETE one key with ETag versions and conditional headers, and prefix
 * scans. Versions are log indexes. Optional headers {@code RaftStore-Client-Id} and
 * {@code RaftStore-Sequence} make a retried write exactly-once. Reads need the {@code reader} role, writes the
 * {@code writer} role ({@link AccessFilter}).
 *
 * <p>One instance serves every request (application scope) and JSON builders come from one factory: a
 * resource made, injected and looked up per request, and a JSON provider looked up per answer, were measurable
 * parts of a write's cost on the leader (docs/benchmarks.md, "Where the time goes").
 */
@Path("kv")
@ApplicationScoped
public class KvResource {

    private static final int DEFAULT_SCAN_LIMIT = 100;
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    @EJB
    RaftStoreLocal node;

    /** The node's value limit, read once: the limits are settings fixed when the node starts. */
    private volatile int maxValueBytes = -1;

    @GET
    @Path("{key: .+}")
    @Access(ApiRole.READER)
    public Response get(@PathParam("key") String key,
                        @QueryParam("consistency") @DefaultValue("linearizable") String consistency) {
        Optional<Versioned> r = node.get(key, consistency(consistency));
        if (r.isPresent()) {
            Versioned v = r.get();
            return Response.ok(v.value(), MediaType.APPLICATION_OCTET_STREAM).header("ETag", etag(v.version())).build();
        }
        throw ApiException.notFound(key);
    }

    @PUT
    @Path("{key: .+}")
    @Access(ApiRole.WRITER)
    public Response put(@PathParam("key") String key, byte[] body,
                        @HeaderParam("If-Match") String ifMatch, @HeaderParam("If-None-Match") String ifNoneMatch,
                        @HeaderParam("RaftStore-Client-Id") @DefaultValue("0") long clientId,
                        @HeaderParam("RaftStore-Sequence") @DefaultValue("0") long sequence) {
        byte[] value = body == null ? new byte[0] : body;
        int max = maxValueBytes;
        if (max < 0) {
            max = node.limits().maxValueBytes();
            maxValueBytes = max;
        }
        if (value.length > max) {
            throw new ApiException(413, "TOO_LARGE", "value of " + value.length + " bytes exceeds the limit of "
                    + max + " bytes", null);
        }
        Precondition condition;
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw ApiException.badRequest("If-None-Match supports only *");
            }
            condition = new Precondition.Absent(key);
        } else if (ifMatch != null && ifMatch.trim().equals("*")) {
            condition = new Precondition.Exists(key);
        } else if (ifMatch != null) {
            condition = new Precondition.VersionEquals(key, version(ifMatch));
        } else {
            condition = null;
        }
        WriteOutcome r = node.put(key, value, condition, clientId, sequence);
        if (r instanceof WriteOutcome.Written w) {
            String json = JSON.createObjectBuilder().add("key", key).add("version", w.version())
                    .add("created", w.created()).build().toString();
            return Response.status(w.created() ? 201 : 200).type(MediaType.APPLICATION_JSON)
                    .header("ETag", etag(w.version())).entity(json).build();
        }
        throw failure(key, r);
    }

    @DELETE
    @Path("{key: .+}")
    @Access(ApiRole.WRITER)
    public Response delete(@PathParam("key") String key, @HeaderParam("If-Match") String ifMatch,
                           @HeaderParam("RaftStore-Client-Id") @DefaultValue("0") long clientId,
                           @HeaderParam("RaftStore-Sequence") @DefaultValue("0") long sequence) {
        Long ifVersion = ifMatch == null || ifMatch.trim().equals("*") ? null : version(ifMatch);
        WriteOutcome r = node.delete(key, ifVersion, clientId, sequence);
        if (r instanceof WriteOutcome.Deleted d) {
            if (!d.existed()) {
                throw ApiException.notFound(key);
            }
            return Response.noContent().build();
        }
        throw failure(key, r);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Access(ApiRole.READER)
    public Response scan(@QueryParam("prefix") @DefaultValue("") String prefix,
                         @QueryParam("limit") @DefaultValue("" + DEFAULT_SCAN_LIMIT) int limit,
                         @QueryParam("consistency") @DefaultValue("linearizable") String consistency) {
        ScanPage scan = node.scan(prefix, limit, consistency(consistency));
        JsonArrayBuilder list = JSON.createArrayBuilder();
        Base64.Encoder b64 = Base64.getEncoder();
        for (Versioned v : scan.entries()) {
            list.add(JSON.createObjectBuilder().add("key", v.key()).add("value", b64.encodeToString(v.value()))
                    .add("version", v.version()));
        }
        return Response.ok(list.build().toString(), MediaType.APPLICATION_JSON)
                .header("RaftStore-More", String.valueOf(scan.more())).build();
    }

    private static ApiException failure(String key, WriteOutcome r) {
        if (r instanceof WriteOutcome.ConditionFailed c) {
            return ApiException.conditionFailed("condition failed for '" + key + "': current version is "
                    + c.actualVersion());
        }
        if (r instanceof WriteOutcome.Rejected rej) {
            return ApiException.badRequest(rej.message());
        }
        if (r instanceof WriteOutcome.SessionExpired s) {
            return new ApiException(409, "SESSION_EXPIRED", "client session " + s.clientId() + " no longer knows sequence "
                    + s.sequence() + "; start a new session", null);
        }
        return new ApiException(500, "INTERNAL", "unexpected result " + r, null);
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Parses an entity tag {@code "123"} (quotes optional, weak prefix accepted). */
    static long version(String tag) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 1) {
                throw ApiException.badRequest("version must be positive: " + tag);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("not a version: " + tag);
        }
    }

    static ReadConsistency consistency(String name) {
        try {
            return ReadConsistency.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("consistency must be linearizable, lease or stale, was '" + name + "'");
        }
    }
}
