/**
 * What the test archives deploy besides the test classes: small application components of the kind an
 * application on a RaftStore server has (a container-managed EJB, a servlet), plus helpers the tests use
 * inside the server. Everything reaches the store only through {@code eis/raftstore} and the API.
 */
package io.raftstore.arquillian.app;
