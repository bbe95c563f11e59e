/**
 * Who may change the cluster through REST: the {@code admin} role of Liberty's application security, checked
 * for scripts sending HTTP Basic credentials and for console sessions alike.
 */
package io.raftstore.web.security;
