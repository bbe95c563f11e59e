package io.raftstore.web.rest;

import io.raftstore.api.ReadConsistency;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyRequestsTest {

    @Test
    void keysArePathDecodedAsUtf8AndPlusStaysPlus() {
        assertEquals("a/b c+d", KeyRequests.pathDecode("a/b%20c+d"));
        assertEquals("grüße/%", KeyRequests.pathDecode("gr%C3%BC%C3%9Fe/%25"));
        assertEquals("plain", KeyRequests.pathDecode("plain"));
    }

    @Test
    void aMalformedEscapeIsABadRequestThatSaysHowToWriteAPercent() {
        for (String bad : new String[] {"a%", "a%2", "a%zz"}) {
            ApiException e = assertThrows(ApiException.class, () -> KeyRequests.pathDecode(bad), bad);
            assertEquals(400, e.status());
            assertEquals(true, e.getMessage().contains("%25"), e.getMessage());
        }
    }

    @Test
    void versionsAreEntityTags() {
        assertEquals(12, KeyRequests.version("\"12\""));
        assertEquals(12, KeyRequests.version("W/\"12\""));
        assertEquals(12, KeyRequests.version(" 12 "));
        assertEquals("\"7\"", KeyRequests.etag(7));
        assertEquals(400, assertThrows(ApiException.class, () -> KeyRequests.version("\"0\"")).status());
        assertEquals(400, assertThrows(ApiException.class, () -> KeyRequests.version("abc")).status());
    }

    @Test
    void consistencyNamesAreCaseInsensitiveAndOthersRefused() {
        assertEquals(ReadConsistency.STALE, KeyRequests.consistency("Stale"));
        assertEquals(400, assertThrows(ApiException.class, () -> KeyRequests.consistency("eventual")).status());
    }
}
