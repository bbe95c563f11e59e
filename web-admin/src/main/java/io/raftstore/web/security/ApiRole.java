package io.raftstore.web.security;

import java.util.Locale;

/**
 * Who may call a REST route. Every role but {@link #ANYONE} is a security role of the application, mapped to
 * users and groups of Liberty's registry in server.xml ({@code application-bnd}).
 */
public enum ApiRole {
    /** No login: what monitors and load balancers read, carrying no keys or values. */
    ANYONE,
    /** Reads keys and scans prefixes. */
    READER,
    /** Writes and deletes keys. */
    WRITER,
    /** Changes the cluster: leadership, snapshots, membership. */
    ADMIN;

    /** The security role's name, as web.xml declares it and server.xml maps it. */
    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
