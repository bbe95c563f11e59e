package io.raftstore.web.security;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Guards {@link AdminOnly} endpoints: 401 without credentials, 403 for an authenticated non-admin.
 *
 * <p>The web module logs console users in with a FORM, which would answer a script's POST with a redirect
 * to the login page. So HTTP Basic credentials are checked here, against the same Liberty user registry and
 * role mapping, through {@link HttpServletRequest#login}; a console session (already authenticated) passes
 * through the same role check.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
public class AdminOnlyFilter implements ContainerRequestFilter {

    static final String ROLE = "admin";

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        if (request.getUserPrincipal() == null) {
            BasicCredentials credentials = BasicCredentials.parse(context.getHeaderString(HttpHeaders.AUTHORIZATION));
            if (credentials == null) {
                context.abortWith(refuse(401, "UNAUTHORIZED", "this request needs the admin role: send credentials"));
                return;
            }
            try {
                request.login(credentials.user(), credentials.password());
            } catch (ServletException e) {
                context.abortWith(refuse(401, "UNAUTHORIZED", "user name or password not accepted"));
                return;
            }
        }
        if (!request.isUserInRole(ROLE)) {
            context.abortWith(refuse(403, "FORBIDDEN", "user '" + request.getUserPrincipal().getName()
                    + "' lacks the admin role"));
        }
    }

    private static Response refuse(int status, String code, String message) {
        String body = Json.createObjectBuilder().add("error", code).add("message", message).addNull("leaderId")
                .build().toString();
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        if (status == 401) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"RaftStore\"");
        }
        return r.build();
    }

    /** The user and password of an {@code Authorization: Basic} header. */
    record BasicCredentials(String user, String password) {

        /** Null when the header is absent, not Basic, or malformed. */
        static BasicCredentials parse(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 1 ? null : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
    }
}
