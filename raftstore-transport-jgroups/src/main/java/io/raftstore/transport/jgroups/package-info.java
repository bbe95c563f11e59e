/**
 * The {@link io.raftstore.transport.Transport} over JGroups 5: TCP with TCPPING on a static member list,
 * so it works on one machine (distinct ports on 127.0.0.1) and across hosts alike.
 */
package io.raftstore.transport.jgroups;
