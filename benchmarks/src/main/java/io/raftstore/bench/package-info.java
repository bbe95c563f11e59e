/**
 * Benchmarks. Results go to {@code docs/benchmarks.md} with the command that produced them; on these
 * shared 2-core machines only ratios within one run are meaningful.
 */
package io.raftstore.bench;
