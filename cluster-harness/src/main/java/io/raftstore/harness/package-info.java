/**
 * Test support for the modules that run real Liberty servers (jca-it, browser-tests, fault-tests): a local
 * cluster driven through the repository's {@code ./cluster} script, the single launcher, so that launch,
 * JVM arguments, ports and readiness live in one place. JSON is read with JSON-P.
 */
package io.raftstore.harness;
