/**
 * The REST API of the contract (/api/kv, /api/cluster) over the node's local business interface; errors
 * are JSON {@code {"error", "message", "leaderId"}} with 400, 404, 412, 413 or 503 + Retry-After.
 */
package io.raftstore.web.rest;
