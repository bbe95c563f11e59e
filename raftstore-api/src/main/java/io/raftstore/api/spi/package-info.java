/**
 * The narrow contract between the resource adapter and the node, in API-level types only: the node
 * implements {@link io.raftstore.api.spi.StoreGateway} and registers it in
 * {@link io.raftstore.api.spi.StoreGatewayRegistry}; the adapter looks it up there. Applications never use
 * this package.
 */
package io.raftstore.api.spi;
