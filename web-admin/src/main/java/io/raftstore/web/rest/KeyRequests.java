package io.raftstore.web.rest;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Precondition;
import io.raftstore.ejb.DirectNode;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.WriteOutcome;
import io.raftstore.web.security.ApiRole;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The single-key requests of the key-value API, {@code GET/HEAD/PUT/DELETE /api/kv/{key}}, answered here as a
 * servlet filter, before JAX-RS: ETag versions, conditional headers ({@code If-Match}, {@code If-None-Match:
 * *}), read consistency, and the exactly-once headers {@code RaftStore-Client-Id} and
 * {@code RaftStore-Sequence}. Reads need the {@code reader} role, writes the {@code writer} role, decided by
 * {@link RestAccess} as for every other route. Anything else under /api/kv (the prefix scan) goes on to JAX-RS
 * ({@link KvResource}).
 *
 * <p>Why not JAX-RS: these requests are almost all of a store's traffic, and on the leader the JAX-RS dispatch
 * around them (routing, parameter injection, filters, response writers, the CDI proxies of resource and
 * filter) cost about a fifth of a request's CPU, more than reading the key (docs/benchmarks.md, "Where the
 * time goes"). The answers, statuses and error bodies are the contract's, the same as before.
 */
@WebFilter(urlPatterns = "/api/kv/*")
public class KeyRequests implements Filter {

    private static final String PREFIX = "/api/kv/";
    private static final String JSON_TYPE = "application/json";
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    /** Who may send each method; HEAD is a GET without the body. */
    static final Map<String, ApiRole> ROLES = Map.of("GET", ApiRole.READER, "HEAD", ApiRole.READER,
            "PUT", ApiRole.WRITER, "DELETE", ApiRole.WRITER);

    @EJB
    RaftStoreLocal node;

    /**
     * The node bean itself once it has started, else the container's proxy: these requests are most of a store's
     * traffic, and the proxy cost them about 8% of the leader's CPU (see {@link DirectNode}).
     */
    private RaftStoreLocal store() {
        return DirectNode.orElse(node);
    }

    /** The node's value limit, read once: the limits are settings fixed when the node starts. */
    private volatile int maxValueBytes = -1;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        if (!raw.startsWith(PREFIX) || raw.length() == PREFIX.length()) {
            chain.doFilter(request, response); // the scan, or no key at all: JAX-RS answers
            return;
        }
        try {
            String key = pathDecode(raw.substring(PREFIX.length()));
            ApiRole role = ROLES.get(request.getMethod());
            if (role == null) {
                response.setHeader("Allow", "GET, HEAD, PUT, DELETE");
                throw new ApiException(405, "METHOD_NOT_ALLOWED", request.getMethod() + " is not supported on a key;"
                        + " use GET, HEAD, PUT or DELETE", null);
            }
            RestAccess.Decision access = RestAccess.decide(request, request.getHeader("Authorization"), role,
                    () -> request.getMethod() + " " + raw);
            if (access.refusal() != null) {
                throw access.refusal();
            }
            switch (request.getMethod()) {
                case "GET", "HEAD" -> get(key, request, response);
                case "PUT" -> put(key, request, response);
                default -> delete(key, request, response);
            }
        } catch (RuntimeException e) {
            fail(response, ErrorMappers.describe(e));
        }
    }

    private void get(String key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String consistency = request.getParameter("consistency");
        Optional<Versioned> r = store().get(key, consistency(consistency == null ? "linearizable" : consistency));
        if (r.isEmpty()) {
            throw ApiException.notFound(key);
        }
        Versioned v = r.get();
        response.setStatus(200);
        response.setContentType("application/octet-stream");
        response.setHeader("ETag", etag(v.version()));
        response.setContentLength(v.value().length);
        if (request.getMethod().equals("GET")) {
            response.getOutputStream().write(v.value());
        }
    }

    private void put(String key, HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] value = body(request);
        String ifMatch = request.getHeader("If-Match");
        String ifNoneMatch = request.getHeader("If-None-Match");
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
        WriteOutcome r = store().put(key, value, condition, number(request, "RaftStore-Client-Id"),
                number(request, "RaftStore-Sequence"));
        if (!(r instanceof WriteOutcome.Written w)) {
            throw failure(key, r);
        }
        answer(response, w.created() ? 201 : 200, etag(w.version()), JSON.createObjectBuilder().add("key", key)
                .add("version", w.version()).add("created", w.created()).build().toString());
    }

    private void delete(String key, HttpServletRequest request, HttpServletResponse response) {
        String ifMatch = request.getHeader("If-Match");
        Long ifVersion = ifMatch == null || ifMatch.trim().equals("*") ? null : version(ifMatch);
        WriteOutcome r = store().delete(key, ifVersion, number(request, "RaftStore-Client-Id"),
                number(request, "RaftStore-Sequence"));
        if (!(r instanceof WriteOutcome.Deleted d)) {
            throw failure(key, r);
        }
        if (!d.existed()) {
            throw ApiException.notFound(key);
        }
        response.setStatus(204);
    }

    /** The request's body, refused with 413 past the node's value limit (before reading it when its length is sent). */
    byte[] body(HttpServletRequest request) throws IOException {
        int max = maxValueBytes;
        if (max < 0) {
            max = store().limits().maxValueBytes();
            maxValueBytes = max;
        }
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(Long.toString(declared), max);
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) { // the usual case: read exactly that, not through readNBytes' 8 KB buffers
                byte[] value = in.readNBytes((int) declared);
                if (value.length < declared) {
                    throw ApiException.badRequest("the body ended after " + value.length + " of the "
                            + declared + " bytes its Content-Length announced");
                }
                return value;
            }
            byte[] value = in.readNBytes(max + 1);
            if (value.length > max) {
                throw tooLarge("more than " + max, max);
            }
            return value;
        }
    }

    private static ApiException tooLarge(String size, int max) {
        return new ApiException(413, "TOO_LARGE", "value of " + size + " bytes exceeds the limit of " + max
                + " bytes", null);
    }

    private static void answer(HttpServletResponse response, int status, String etag, String json) throws IOException {
        response.setStatus(status);
        if (etag != null) {
            response.setHeader("ETag", etag);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentType(JSON_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void fail(HttpServletResponse response, ApiException e) throws IOException {
        if (response.isCommitted()) {
            return; // the answer has begun: nothing truthful can be added
        }
        ErrorMappers.headers(e, response::setHeader);
        answer(response, e.status(), null, ErrorMappers.body(e));
    }

    /** An optional numeric header, 0 when absent. */
    private static long number(HttpServletRequest request, String header) {
        String v = request.getHeader(header);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(header + " must be a number, was '" + v + "'");
        }
    }

    static ApiException failure(String key, WriteOutcome r) {
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

    /** Decodes a path's percent-escapes as UTF-8 ('+' stays '+', unlike form decoding), as JAX-RS path parameters. */
    static String pathDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
            if (lo < 0) {
                throw ApiException.badRequest("the key's path has a malformed percent-escape at character " + (i + 1)
                        + ": write '%' as %25");
            }
            out.write(hi * 16 + lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
