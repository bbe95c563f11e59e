/**
 * CDI for applications: {@link io.raftstore.api.cdi.StoreProducer} lets them {@code @Inject} the store's
 * connection factory instead of naming its JNDI name.
 */
package io.raftstore.api.cdi;
