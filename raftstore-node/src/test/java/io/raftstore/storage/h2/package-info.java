/**
 * Tests of the H2 storage as a node assembles it ({@link io.raftstore.node.storage.NodeStorage}): recovery,
 * damage, crashes on the simulated disk, backups, migration. They live in the storage package, in this
 * module, because they check the storage's internals (its watermark, metadata maps, committed versions)
 * through the node's composition of log, state and snapshots, which only this module has.
 */
package io.raftstore.storage.h2;
