/**
 * Browser tests of the admin console: Selenium drives headless Chromium against a real three-node cluster
 * started through {@code ./cluster} on ports of its own.
 */
package io.raftstore.admin.browser;
