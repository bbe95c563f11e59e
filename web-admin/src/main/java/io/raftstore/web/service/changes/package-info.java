/** Membership changes and snapshots on behalf of an admin, each written to the audit list. */
package io.raftstore.web.service.changes;
