/**
 * Browser tests of the admin console: Selenium drives headless Chromium against a real three-node cluster
 * started through {@code ./cluster} (cluster-harness) on ports of its own, from the packaged production server.
 */
package io.raftstore.admin.browser;
