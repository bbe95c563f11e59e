package io.raftstore.web.rest;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.spi.StoreLimits;
import io.raftstore.ejb.RaftStoreLocal;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A PUT's body: read to its Content-Length, refused past the limit (413) or when it ends early (400). */
    @Test
    void aBodyIsReadToItsDeclaredLengthAndRefusedWhenTooLongOrCutShort() throws Exception {
        KeyRequests filter = new KeyRequests();
        filter.node = (RaftStoreLocal) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RaftStoreLocal.class}, (proxy, method, args) -> {
                    if (method.getName().equals("limits")) {
                        return new StoreLimits(10, 100, 1000);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        assertArrayEquals("hello".getBytes(), filter.body(request("hello", 5)));
        assertArrayEquals("0123456789".getBytes(), filter.body(request("0123456789", -1)), "no length: up to the limit");
        assertEquals(413, assertThrows(ApiException.class, () -> filter.body(request("01234567890", -1))).status());
        assertEquals(413, assertThrows(ApiException.class, () -> filter.body(request("x", 11))).status(),
                "refused by its declared length, before reading");
        ApiException cut = assertThrows(ApiException.class, () -> filter.body(request("abc", 8)));
        assertEquals(400, cut.status());
        assertTrue(cut.getMessage().contains("ended after 3 of the 8 bytes"), cut.getMessage());
    }

    private static HttpServletRequest request(String body, long contentLength) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body.getBytes());
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(KeyRequestsTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> in;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
