/**
 * What the node shows the web module (REST, console, health) about itself, in small records built here
 * from the engine's and the node's own types, so that the WAR compiles against this package and the API
 * only, never against {@code io.raftstore.core}, {@code .kv} or {@code .node}. The records are snapshots:
 * plain values, safe to keep and to pass between threads.
 */
package io.raftstore.ejb.view;
