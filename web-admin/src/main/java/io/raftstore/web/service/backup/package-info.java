/**
 * Online backups of this node for download, made once for the console's download and the admin REST endpoint
 * alike: the node's consistent copy, the cluster identity it belongs to, SHA-256 checksums of every file, zipped.
 */
package io.raftstore.web.service.backup;
