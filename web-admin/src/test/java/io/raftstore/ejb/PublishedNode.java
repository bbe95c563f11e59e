package io.raftstore.ejb;

/**
 * Lets the web module's tests publish a stand-in as {@link RaftNodeBean} publishes itself once started, so that
 * they can tell which of the two a request reached: the published bean or the container's proxy.
 */
public final class PublishedNode {

    private PublishedNode() {
    }

    public static void publish(RaftStoreLocal bean) {
        DirectNode.publish(bean);
    }

    public static void withdraw(RaftStoreLocal bean) {
        DirectNode.withdraw(bean);
    }
}
