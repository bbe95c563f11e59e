package io.raftstore.jca;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Describes the store to the container; there is no user: the node runs in the same server. */
final class StoreMetaData implements ManagedConnectionMetaData {

    @Override
    public String getEISProductName() {
        return "RaftStore";
    }

    @Override
    public String getEISProductVersion() {
        return "0.1";
    }

    /** No limit: a connection is only in-memory state. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return "";
    }
}
