package io.raftstore.web.rest;

import io.raftstore.web.security.Access;
import io.raftstore.web.security.ApiRole;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.logging.Logger;

/**
 * Lets a REST request through only when its caller holds the role its resource method declares with
 * {@link Access} ({@link RestAccess} decides): 401 with {@code WWW-Authenticate: Basic} when credentials are
 * missing or wrong, 403 when the user lacks the role, both with the contract's JSON error body, before the
 * resource runs (so a refused request changes nothing).
 *
 * <p>Why here and not in web.xml: the web module logs console users in with a FORM, and a module has one
 * login method, so a container constraint on /api would answer a script with a redirect to the login page
 * (or Liberty's own HTML 401), never the contract's JSON. So /api has no container constraint, and this filter
 * checks HTTP Basic credentials itself. It runs after the route is matched, so the rule is read from the method
 * that would answer, and a method without a rule is refused (fail closed).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class.getName());

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
            context.abortWith(ErrorMappers.error(new ApiException(403, "FORBIDDEN",
                    "this route has no access rule; it is closed", null)));
            return;
        }
        RestAccess.Decision d = RestAccess.decide(request, context.getHeaderString(HttpHeaders.AUTHORIZATION),
                access.value(), () -> describe(context));
        if (d.refusal() != null) {
            context.abortWith(ErrorMappers.error(d.refusal()));
        } else if (d.remembered()) {
            context.setSecurityContext(new KnownCaller(d.user(), access.value(), context.getSecurityContext().isSecure()));
        }
    }

    private static String describe(ContainerRequestContext context) {
        return context.getMethod() + " " + context.getUriInfo().getRequestUri().getRawPath();
    }

    /** The caller of a request let through from memory: the user, holding the route's role. */
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
}
