/** The console's overview page over the cluster overview service ({@code io.raftstore.web.service.cluster}). */
package io.raftstore.web.console.cluster;
