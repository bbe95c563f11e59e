package io.raftstore.ejb.resp;

import io.raftstore.resp.command.Authenticator;
import io.raftstore.resp.command.Role;
import com.ibm.websphere.security.auth.WSSubject;
import com.ibm.websphere.security.auth.callback.WSCallbackHandlerImpl;

import java.security.PrivilegedAction;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.security.auth.Subject;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * AUTH against the server's user registry (the users of the REST API and the console) through Liberty's
 * {@code WSLogin} JAAS entry, then the roles the application grants that user ({@link RoleProbe}). A connection
 * logs in once (at AUTH or HELLO ... AUTH), not per command. Connections that do not authenticate get nothing,
 * unless {@code raftstore.resp.anonymous} grants them a role (loopback only: a development cluster).
 */
final class RegistryAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(RegistryAuthenticator.class.getName());

    private final RoleProbe roles;
    private final Set<Role> anonymous;

    /** @param anonymous what a connection may do before AUTH (empty: nothing; raftstore.resp.anonymous) */
    RegistryAuthenticator(RoleProbe roles, Set<Role> anonymous) {
        this.roles = roles;
        this.anonymous = Set.copyOf(anonymous);
    }

    @Override
    public Set<Role> anonymousRoles() {
        return anonymous;
    }

    @Override
    public Optional<Set<Role>> authenticate(String user, String password) {
        Subject subject;
        try {
            LoginContext login = new LoginContext("WSLogin", new WSCallbackHandlerImpl(user, password));
            login.login();
            subject = login.getSubject();
        } catch (LoginException e) {
            // A wrong password and an unknown user look the same to the client; the log keeps the cause
            // (an unreachable LDAP server differs from a typo), never the password.
            LOG.log(Level.FINE, "Redis-protocol login of user " + user + " failed", e);
            return Optional.empty();
        }
        // WSSubject.doAs is declared raw (it returns Object); the action's own type is Set<Role>.
        @SuppressWarnings("unchecked")
        Set<Role> granted = (Set<Role>) WSSubject.doAs(subject, (PrivilegedAction<Set<Role>>) roles::callerRoles);
        return Optional.of(granted);
    }
}
