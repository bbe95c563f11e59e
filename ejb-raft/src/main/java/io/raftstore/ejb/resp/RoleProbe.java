package io.raftstore.ejb.resp;

import io.raftstore.resp.command.Role;
import jakarta.annotation.Resource;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.LocalBean;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which of the key-value roles the caller holds, as the container decides it from the application's role
 * bindings (server.xml's application-bnd: groups of the basic registry, or of LDAP). Called under
 * {@code WSSubject.doAs} with a Redis client's login, so the same bindings govern REST and Redis users.
 */
@Stateless
@LocalBean
@DeclareRoles({"reader", "writer"})
@PermitAll
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RoleProbe {

    @Resource
    private SessionContext context;

    /** The caller's roles among reader and writer; empty for a user with neither (e.g. an admin). */
    public Set<Role> callerRoles() {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (context.isCallerInRole("reader")) {
            roles.add(Role.READER);
        }
        if (context.isCallerInRole("writer")) {
            roles.add(Role.WRITER);
        }
        return roles;
    }
}
