/**
 * The cluster overview: every node's own report, fetched over REST with short timeouts, combined into one
 * row per member measured against the leader.
 */
package io.raftstore.web.service.cluster;
