/**
 * The REST API of the contract (/api/kv, /api/cluster) over the node's local business interface; errors
 * are JSON {@code {"error", "message", "leaderId"}} with 400, 401, 403, 404, 412, 413 or 503 + Retry-After.
 * Every resource method declares who may call it ({@code io.raftstore.web.security.Access}), and
 * {@link io.raftstore.web.rest.AccessFilter} enforces it before the method runs.
 */
package io.raftstore.web.rest;
