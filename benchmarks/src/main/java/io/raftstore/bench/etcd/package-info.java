/** The etcd peer of the network-API benchmarks: etcd's gRPC client driving a local etcd cluster. */
package io.raftstore.bench.etcd;
