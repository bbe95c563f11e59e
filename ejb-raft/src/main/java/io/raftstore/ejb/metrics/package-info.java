/**
 * The node's metrics in MicroProfile Metrics, which Liberty serves in Prometheus format at {@code /metrics}:
 * events the node reports through its plain-Java {@code io.raftstore.node.NodeMetrics}, and gauges read from
 * the running node's published status when scraped. The only place that knows the metrics API, so the node and
 * the engine stay free of container types (docs/operations.md, "Metrics").
 */
package io.raftstore.ejb.metrics;
