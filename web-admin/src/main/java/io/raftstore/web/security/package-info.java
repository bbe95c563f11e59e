/**
 * Who may call which REST route: each resource method declares a {@link io.raftstore.web.security.ApiRole} with
 * {@link io.raftstore.web.security.Access}; {@code io.raftstore.web.rest.AccessFilter} checks HTTP Basic
 * credentials (or a console session) against Liberty's registry and the application's role mapping.
 */
package io.raftstore.web.security;
