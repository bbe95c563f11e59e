package io.raftstore.resp.command;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Checks AUTH and HELLO ... AUTH credentials; the node backs it with the HTTP API's users and roles. Thread-safe. */
public interface Authenticator {

    /**
     * What a connection may do before it authenticates, as the user "default" (Redis's own model: a default
     * user with or without a password). Empty: it must authenticate before any command but AUTH, HELLO and QUIT.
     */
    Set<Role> anonymousRoles();

    /**
     * @param user     the user name ("default" when the client sent only a password, as Redis does)
     * @param password the password as sent
     * @return the user's roles, or empty when the pair is wrong (which of the two is not told)
     */
    Optional<Set<Role>> authenticate(String user, String password);

    /** No authentication: every connection may read and write, and AUTH accepts anything. */
    static Authenticator none() {
        return new Authenticator() {
            @Override
            public Set<Role> anonymousRoles() {
                return EnumSet.allOf(Role.class);
            }

            @Override
            public Optional<Set<Role>> authenticate(String user, String password) {
                return Optional.of(EnumSet.allOf(Role.class));
            }
        };
    }
}
