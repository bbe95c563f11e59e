package io.raftstore.web.rest;

import io.raftstore.web.security.ApiRole;
import io.raftstore.web.security.BasicCredentials;
import io.raftstore.web.security.VerifiedCallers;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import java.util.function.Supplier;

/**
 * Whether a REST caller holds the role a route needs, for {@link AccessFilter} (JAX-RS routes) and
 * {@link KeyRequests} (single-key requests) alike: HTTP Basic checked by the container ({@link
 * HttpServletRequest#login}) against Liberty's registry and the application's role mapping; a console session
 * (the container already knows the user) goes through the same role check.
 *
 * <p>Data routes (reader and writer) remember an accepted header for a few seconds ({@link VerifiedCallers}) and
 * let it through again without a container login: the login's single-sign-on cookie was most of a REST
 * write's cost. Admin routes log in every time. Failed logins and refusals are written to the server log with
 * the user and the remote address.
 */
final class RestAccess {

    static final String REALM = "RaftStore";
    private static final VerifiedCallers CALLERS = new VerifiedCallers();

    /**
     * The outcome: {@code refusal} null when let through; {@code remembered} true when the caller was let
     * through from {@link VerifiedCallers} (the container then does not know the user: name it yourself).
     */
    record Decision(String user, boolean remembered, ApiException refusal) {
    }

    private RestAccess() {
    }

    /** @param described the request as the log names it, e.g. "PUT /api/kv/a" (built only for a refusal) */
    static Decision decide(HttpServletRequest request, String authorization, ApiRole role, Supplier<String> described) {
        if (role == ApiRole.ANYONE) {
            return new Decision(null, false, null);
        }
        boolean remember = false;
        if (request.getUserPrincipal() == null) {
            if (role != ApiRole.ADMIN) {
                String known = CALLERS.lookUp(authorization, role);
                if (known != null) {
                    return new Decision(known, true, null);
                }
                remember = true;
            }
            BasicCredentials credentials = BasicCredentials.parse(authorization);
            if (credentials == null) {
                if (authorization != null) {
                    AuditLog.loginFailed(null, request.getRemoteAddr(), described.get());
                }
                return refused(401, "UNAUTHORIZED", "this request needs the " + role.roleName()
                        + " role: send HTTP Basic credentials (curl -u USER:PASSWORD)");
            }
            try {
                request.login(credentials.user(), credentials.password());
            } catch (ServletException e) {
                AuditLog.loginFailed(credentials.user(), request.getRemoteAddr(), described.get());
                return refused(401, "UNAUTHORIZED", "user name or password not accepted");
            }
        }
        String user = request.getUserPrincipal().getName();
        if (!request.isUserInRole(role.roleName())) {
            AuditLog.refused(user, request.getRemoteAddr(), described.get(), role.roleName());
            return refused(403, "FORBIDDEN", "user '" + user + "' lacks the " + role.roleName()
                    + " role this request needs");
        }
        if (remember) {
            CALLERS.accepted(authorization, user, role);
        }
        return new Decision(user, false, null);
    }

    private static Decision refused(int status, String code, String message) {
        return new Decision(null, false, new ApiException(status, code, message, null));
    }

    /** The {@code WWW-Authenticate} value a 401 carries. */
    static String challenge() {
        return "Basic realm=\"" + REALM + "\"";
    }
}
