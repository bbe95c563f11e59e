package io.raftstore.web.rest;

import io.raftstore.api.InvalidRequestException;
import io.raftstore.ejb.view.NodeRequestException;
import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns failures into the contract's JSON errors. */
public final class ErrorMappers {

    /** Seconds a client should wait before retrying a 503: about one election. */
    static final String RETRY_AFTER_SECONDS = "1";

    private ErrorMappers() {
    }

    static Response error(int status, String code, String message, String leaderId) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("error", code).add("message", message == null ? "" : message);
        if (leaderId == null) {
            body.addNull("leaderId");
        } else {
            body.add("leaderId", leaderId);
        }
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.build().toString());
        if (status == 503) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }

    /** 400/404/412/413 raised by the resources. */
    @Provider
    public static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return error(e.status(), e.code(), e.getMessage(), e.leaderId());
        }
    }

    /** No leader or quorum within the request timeout: 503 with Retry-After. */
    @Provider
    public static final class Unavailable implements ExceptionMapper<NodeRequestException> {
        @Override
        public Response toResponse(NodeRequestException e) {
            if (!e.unavailable()) {
                return error(400, "REJECTED", e.getMessage(), e.leaderId());
            }
            return error(503, "UNAVAILABLE", e.getMessage(), e.leaderId());
        }
    }

    /** A container-wrapped failure: answer for what it wraps. */
    @Provider
    public static final class Wrapped implements ExceptionMapper<EJBException> {
        @Override
        public Response toResponse(EJBException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e.getCausedByException();
            if (cause instanceof NodeRequestException f) {
                return new Unavailable().toResponse(f);
            }
            if (cause instanceof InvalidRequestException v) {
                return new Invalid().toResponse(v);
            }
            return error(500, "INTERNAL", String.valueOf(cause != null ? cause : e), null);
        }
    }

    /** A key, value or limit the store refuses. */
    @Provider
    public static final class Invalid implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return error(400, "BAD_REQUEST", e.getMessage(), null);
        }
    }
}
