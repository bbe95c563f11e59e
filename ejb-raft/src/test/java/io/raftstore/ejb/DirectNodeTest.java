package io.raftstore.ejb;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertSame;

class DirectNodeTest {

    /** A stand-in that is only compared by identity (and named in a failure message). */
    private static RaftStoreLocal stub(String name) {
        return (RaftStoreLocal) Proxy.newProxyInstance(RaftStoreLocal.class.getClassLoader(),
                new Class<?>[] {RaftStoreLocal.class}, (self, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private final RaftStoreLocal proxy = stub("the container's proxy");

    @AfterEach
    void nothingPublished() {
        DirectNode.withdraw(DirectNode.orElse(null));
    }

    @Test
    void theContainersProxyServesUntilTheBeanHasStarted() {
        assertSame(proxy, DirectNode.orElse(proxy));
    }

    @Test
    void aStartedBeanIsCalledDirectly() {
        RaftStoreLocal bean = stub("the bean");
        DirectNode.publish(bean);
        assertSame(bean, DirectNode.orElse(proxy));
    }

    @Test
    void aStoppingBeanIsNoLongerCalled() {
        RaftStoreLocal bean = stub("the bean");
        DirectNode.publish(bean);
        DirectNode.withdraw(bean);
        assertSame(proxy, DirectNode.orElse(proxy));
    }

    @Test
    void anOldBeanStoppingLateLeavesItsSuccessorPublished() {
        RaftStoreLocal old = stub("the old bean");
        RaftStoreLocal restarted = stub("the restarted bean");
        DirectNode.publish(old);
        DirectNode.publish(restarted); // the application restarted before the old bean's @PreDestroy ran
        DirectNode.withdraw(old);
        assertSame(restarted, DirectNode.orElse(proxy));
    }
}
