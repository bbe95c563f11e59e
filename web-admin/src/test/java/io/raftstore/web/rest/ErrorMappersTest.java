package io.raftstore.web.rest;

import com.ibm.websphere.ejbcontainer.EJBStoppedException;
import jakarta.ejb.EJBException;
import jakarta.ejb.NoSuchEJBException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMappersTest {

    /** A request racing a restart of the store's application: an outage of this node, so the contract's 503. */
    @Test
    void aCallThroughAStoppedApplicationsBeanIsUnavailableNotAServerError() {
        String stopped = "The referenced version of the RaftNodeBean bean in the raftstore application has been stopped";
        for (RuntimeException e : new RuntimeException[] {new EJBStoppedException(stopped),
                new EJBException(new EJBStoppedException(stopped)), new NoSuchEJBException("gone")}) {
            ApiException answer = ErrorMappers.describe(e);
            assertEquals(503, answer.status(), e.toString());
            assertEquals("UNAVAILABLE", answer.code());
            assertTrue(answer.getMessage().contains("restarting; retry"), answer.getMessage());
        }
    }

    @Test
    void anyOtherContainerFailureStaysAServerError() {
        assertEquals(500, ErrorMappers.describe(new EJBException("boom")).status());
        assertEquals(500, ErrorMappers.describe(new IllegalStateException("boom")).status());
    }
}
