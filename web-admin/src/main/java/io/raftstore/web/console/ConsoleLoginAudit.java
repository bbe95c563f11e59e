package io.raftstore.web.console;

import io.raftstore.web.service.changes.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Logs a failed console login with the user name and the remote address, as the REST API's are logged. The
 * container checks the form itself (Liberty runs this filter around its j_security_check) and logs a failure
 * as CWWKS1100A, but without the address. No principal after the check means it failed.
 */
@WebFilter(urlPatterns = "/j_security_check")
public class ConsoleLoginAudit extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String user = request.getParameter("j_username");
        chain.doFilter(request, response);
        if (request.getUserPrincipal() == null) {
            AuditLog.loginFailed(user, request.getRemoteAddr(), "console login form");
        }
    }
}
