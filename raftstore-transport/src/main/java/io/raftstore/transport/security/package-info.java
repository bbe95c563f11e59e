/**
 * Node-to-node security: each node's certificate from the cluster CA ({@link
 * io.raftstore.transport.security.NodeCredentials}) and the sealing of frames per pair of nodes ({@link
 * io.raftstore.transport.security.FrameSealer}). Pure JDK cryptography, no I/O: a transport passes bytes in
 * and out (docs/security.md, "Between nodes").
 */
package io.raftstore.transport.security;
