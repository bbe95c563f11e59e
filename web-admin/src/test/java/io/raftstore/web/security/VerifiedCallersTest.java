package io.raftstore.web.security;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VerifiedCallersTest {

    private static final String APP = "Basic YXBwOnNlY3JldA==";
    private static final long TTL = 1_000;

    private final AtomicLong now = new AtomicLong(-50);
    private final VerifiedCallers callers = new VerifiedCallers(TTL, now::get);

    @Test
    void anAcceptedHeaderPassesForItsRoleUntilTheTimeIsUp() {
        assertNull(callers.lookUp(APP, ApiRole.WRITER), "nothing is known before a login");
        callers.accepted(APP, "app", ApiRole.WRITER);
        assertEquals("app", callers.lookUp(APP, ApiRole.WRITER));
        now.addAndGet(TTL - 1);
        assertEquals("app", callers.lookUp(APP, ApiRole.WRITER));
        now.addAndGet(1);
        assertNull(callers.lookUp(APP, ApiRole.WRITER), "the registry is asked again once the time is up");
        assertEquals(0, callers.size(), "an expired caller is dropped");
    }

    @Test
    void onlyTheExactHeaderAndAConfirmedRolePass() {
        callers.accepted(APP, "app", ApiRole.WRITER);
        assertNull(callers.lookUp("Basic YXBwOnNlY3JldDI=", ApiRole.WRITER), "another password is not known");
        assertNull(callers.lookUp(APP, ApiRole.READER), "a role never confirmed is asked of the container");
        assertNull(callers.lookUp(null, ApiRole.WRITER));
    }

    @Test
    void aRoleConfirmedLaterDoesNotExtendTheFirstConfirmation() {
        callers.accepted(APP, "app", ApiRole.WRITER);
        now.addAndGet(TTL / 2);
        callers.accepted(APP, "app", ApiRole.READER);
        assertEquals("app", callers.lookUp(APP, ApiRole.READER));
        assertEquals("app", callers.lookUp(APP, ApiRole.WRITER));
        now.addAndGet(TTL / 2);
        assertNull(callers.lookUp(APP, ApiRole.READER));
        assertNull(callers.lookUp(APP, ApiRole.WRITER));
    }

    @Test
    void theMapStaysBounded() {
        for (int i = 0; i < VerifiedCallers.MAX_CALLERS + 10; i++) {
            callers.accepted("Basic " + i, "u" + i, ApiRole.READER);
        }
        assertEquals(10, callers.size(), "cleared once full, then filled again");
    }
}
