package io.raftstore.web.rest;

import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import io.raftstore.web.security.BasicCredentials;
import io.raftstore.web.security.VerifiedCallers;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.annotation.Priority;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.logging.Logger;

/**
 * Lets a REST request through only when its caller holds the role its resource method declares with
 * {@link Access}: 401 with {@code WWW-Authenticate: Basic} when credentials are missing or wrong, 403 when the
 * user lacks the role, both with the contract's JSON error body, before the resource runs (so a refused
 * request changes nothing).
 *
 * <p>Why here and not in web.xml: the web module logs console users in with a FORM, and a module has one
 * login method, so a container constraint on /api would answer a script with a redirect to the login page
 * (or Liberty's own HTML 401), never the contract's JSON. So /api has no container constraint, and this filter
 * checks HTTP Basic credentials itself through {@link HttpServletRequest#login}: against the same Liberty
 * registry (basic or LDAP) and the same role mapping as the console. It runs after the route is matched, so
 * the rule is read from the method that would answer, and a method without a rule is refused (fail closed).
 * A console session (the container already knows the user) passes through the same role check.
 *
 * <p>Failed logins and refusals are written to the server log with the user and the remote address.
 *
 * <p>The data routes (reader and writer) remember an accepted header for a few seconds ({@link VerifiedCallers})
 * and let it through again without a container login, with a {@link SecurityContext} naming the user: the
 * login's single-sign-on cookie was most of a REST write's cost. Admin routes log in every time.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter {

    static final String REALM = "RaftStore";
    private static final Logger LOG = Logger.getLogger(AccessFilter.class.getName());
    private static final VerifiedCallers CALLERS = new VerifiedCallers();

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        Method method = resource.getResourceMethod();
        Access access = method == null ? null : method.getAnnotation(Access.class);
        if (access == null) {
            LOG.severe("no access rule for " + describe(context) + " (" + resource.getResourceClass() + "): refused");
            context.abortWith(refuse(403, "FORBIDDEN", "this route has no access rule; it is closed"));
            return;
        }
        ApiRole role = access.value();
        if (role == ApiRole.ANYONE) {
            return;
        }
        String header = null;
        boolean remember = false;
        if (request.getUserPrincipal() == null) {
            header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
            if (role != ApiRole.ADMIN) {
                String known = CALLERS.lookUp(header, role);
                if (known != null) {
                    context.setSecurityContext(new KnownCaller(known, role, context.getSecurityContext().isSecure()));
                    return;
                }
                remember = true;
            }
            BasicCredentials credentials = BasicCredentials.parse(header);
            if (credentials == null) {
                if (header != null) {
                    AuditLog.loginFailed(null, request.getRemoteAddr(), describe(context));
                }
                context.abortWith(refuse(401, "UNAUTHORIZED", "this request needs the " + role.roleName()
                        + " role: send HTTP Basic credentials (curl -u USER:PASSWORD)"));
                return;
            }
            try {
                request.login(credentials.user(), credentials.password());
            } catch (ServletException e) {
                AuditLog.loginFailed(credentials.user(), request.getRemoteAddr(), describe(context));
                context.abortWith(refuse(401, "UNAUTHORIZED", "user name or password not accepted"));
                return;
            }
        }
        if (!request.isUserInRole(role.roleName())) {
            String user = request.getUserPrincipal().getName();
            AuditLog.refused(user, request.getRemoteAddr(), describe(context), role.roleName());
            context.abortWith(refuse(403, "FORBIDDEN", "user '" + user + "' lacks the " + role.roleName()
                    + " role this request needs"));
        } else if (remember) {
            CALLERS.accepted(header, request.getUserPrincipal().getName(), role);
        }
    }

    /** The caller of a request let through by {@link VerifiedCallers}: the user, holding the route's role. */
    private record KnownCaller(String user, ApiRole role, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return () -> user;
        }

        @Override
        public boolean isUserInRole(String name) {
            return role.roleName().equals(name);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return SecurityContext.BASIC_AUTH;
        }
    }

    private static String describe(ContainerRequestContext context) {
        return context.getMethod() + " " + context.getUriInfo().getRequestUri().getRawPath();
    }

    private static Response refuse(int status, String code, String message) {
        Response error = ErrorMappers.error(status, code, message, null);
        return status == 401
                ? Response.fromResponse(error).header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"").build()
                : error;
    }
}
