/**
 * The web module's layers, one way: {@code rest} (the API of the contract) and {@code console} (the Faces
 * console) both use {@code service} (the cluster overview, membership changes, the audit list, settings),
 * which uses neither; {@code health} and {@code security} stand beside them. Enforced by
 * {@code WebLayersTest}.
 */
package io.raftstore.web;
