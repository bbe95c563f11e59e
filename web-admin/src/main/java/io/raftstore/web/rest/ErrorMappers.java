package io.raftstore.web.rest;

import io.raftstore.api.InvalidRequestException;
import io.raftstore.ejb.view.NodeRequestException;
import jakarta.ejb.EJBException;
import jakarta.ejb.NoSuchEJBException;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Turns failures into the contract's JSON errors: {@link #describe} decides status, code and message once, for
 * the JAX-RS mappers here and for {@link KeyRequests}, which answers single-key requests without JAX-RS.
 */
public final class ErrorMappers {

    /** Seconds a client should wait before retrying a 503: about one election. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /** One factory: {@code Json.createObjectBuilder()} looks the JSON provider up on every call. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private ErrorMappers() {
    }

    /** What the client is told about a failure: a request it can fix (4xx), an outage (503), or a fault (500). */
    static ApiException describe(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof NodeRequestException f) {
            return f.unavailable() ? new ApiException(503, "UNAVAILABLE", f.getMessage(), f.leaderId())
                    : new ApiException(400, "REJECTED", f.getMessage(), f.leaderId());
        }
        if (failure instanceof InvalidRequestException v) {
            return ApiException.badRequest(v.getMessage());
        }
        if (stoppedBean(failure)) {
            return new ApiException(503, "UNAVAILABLE", "the store's application on this node is stopping or"
                    + " restarting; retry shortly, here or on another node", null);
        }
        if (failure instanceof EJBException e) {
            // A container-wrapped failure: answer for what it wraps.
            Throwable cause = e.getCause() != null ? e.getCause() : e.getCausedByException();
            if (cause instanceof NodeRequestException || cause instanceof InvalidRequestException) {
                return describe(cause);
            }
            return new ApiException(500, "INTERNAL", String.valueOf(cause != null ? cause : e), null);
        }
        return new ApiException(500, "INTERNAL", String.valueOf(failure), null);
    }

    /** Liberty's exception for a call through a stopped application's bean proxy (not a jakarta.ejb type). */
    static final String STOPPED_BEAN = "com.ibm.websphere.ejbcontainer.EJBStoppedException";

    /**
     * Whether the container refused a call to the node bean because the bean's application stopped (restarted or
     * undeployed while a request still held its proxy): Liberty's {@link #STOPPED_BEAN} or the standard
     * {@link NoSuchEJBException}, wrapped in an EJBException or not. An outage of this node, which the contract
     * answers with a 503; it came out as a 500 in a request racing a restart of the store's application
     * (HealthAndConfigIT, once in a full test run).
     */
    static boolean stoppedBean(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++) {
            if (t instanceof NoSuchEJBException || t.getClass().getName().equals(STOPPED_BEAN)) {
                return true;
            }
            t = t instanceof EJBException e && e.getCause() == null ? e.getCausedByException() : t.getCause();
        }
        return false;
    }

    /** The contract's error body. */
    static String body(ApiException e) {
        String message = e.getMessage();
        JsonObjectBuilder body = JSON.createObjectBuilder().add("error", e.code()).add("message", message == null ? "" : message);
        if (e.leaderId() == null) {
            body.addNull("leaderId");
        } else {
            body.add("leaderId", e.leaderId());
        }
        return body.build().toString();
    }

    /** The headers an error carries besides its body: Retry-After on a 503, the Basic challenge on a 401. */
    static void headers(ApiException e, BiConsumer<String, String> header) {
        if (e.status() == 503) {
            header.accept("Retry-After", RETRY_AFTER_SECONDS);
        } else if (e.status() == 401) {
            header.accept("WWW-Authenticate", RestAccess.challenge());
        }
    }

    static Response error(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body(e));
        headers(e, r::header);
        return r.build();
    }

    /** 400/404/412/413 raised by the resources. */
    @Provider
    public static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return error(e);
        }
    }

    /** No leader or quorum within the request timeout: 503 with Retry-After; refused outright: 400. */
    @Provider
    public static final class Unavailable implements ExceptionMapper<NodeRequestException> {
        @Override
        public Response toResponse(NodeRequestException e) {
            return error(describe(e));
        }
    }

    /** A container-wrapped failure: answer for what it wraps. */
    @Provider
    public static final class Wrapped implements ExceptionMapper<EJBException> {
        @Override
        public Response toResponse(EJBException e) {
            return error(describe(e));
        }
    }

    /** A key, value or limit the store refuses. */
    @Provider
    public static final class Invalid implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return error(describe(e));
        }
    }
}
