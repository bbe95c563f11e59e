package io.raftstore.web.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.security.Principal;

/** The logged-in console user: name, whether they may act, and logging out. */
@Named("user")
@RequestScoped
public class ConsoleUser {

    public static final String ADMIN = "admin";

    public String getName() {
        Principal p = FacesContext.getCurrentInstance().getExternalContext().getUserPrincipal();
        return p == null ? "anonymous" : p.getName();
    }

    public boolean isAdmin() {
        return FacesContext.getCurrentInstance().getExternalContext().isUserInRole(ADMIN);
    }

    public String getRole() {
        return isAdmin() ? "admin" : "viewer";
    }

    /**
     * Fails unless the user is an admin. Every action calls it: hiding a button is not authorisation, since a
     * crafted Faces postback could still invoke the action.
     */
    public void requireAdmin() {
        if (!isAdmin()) {
            throw new SecurityException("user '" + getName() + "' lacks the admin role");
        }
    }

    public void logout() throws IOException {
        ExternalContext ext = FacesContext.getCurrentInstance().getExternalContext();
        try {
            ((HttpServletRequest) ext.getRequest()).logout();
        } catch (ServletException e) {
            // The session is invalidated below anyway; the SSO cookie expires with it.
        }
        ext.invalidateSession();
        ext.redirect(ext.getRequestContextPath() + "/console/");
    }
}
