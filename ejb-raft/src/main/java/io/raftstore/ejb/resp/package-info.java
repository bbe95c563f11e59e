/**
 * The node's Redis-protocol endpoint: raftstore-resp's server started and stopped with the node on the
 * container's managed threads, over the same gateway the JCA adapter uses, with the server's user registry
 * and the application's roles for AUTH, and the node's view of its leader for redirection and INFO.
 */
package io.raftstore.ejb.resp;
