package io.raftstore.web.rest;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.spi.StoreLimits;
import io.raftstore.ejb.PublishedNode;
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
        filter.node = node(10);
        assertArrayEquals("hello".getBytes(), filter.body(request("hello", 5)));
        assertArrayEquals("0123456789".getBytes(), filter.body(request("0123456789", -1)), "no length: up to the limit");
        assertEquals(413, assertThrows(ApiException.class, () -> filter.body(request("01234567890", -1))).status());
        assertEquals(413, assertThrows(ApiException.class, () -> filter.body(request("x", 11))).status(),
                "refused by its declared length, before reading");
        ApiException cut = assertThrows(ApiException.class, () -> filter.body(request("abc", 8)));
        assertEquals(400, cut.status());
        assertTrue(cut.getMessage().contains("ended after 3 of the 8 bytes"), cut.getMessage());
    }

    /**
     * Once the node bean has published itself, requests call it, not the container's proxy (which cost 7-8% of a
     * request's CPU); before that, and after it withdrew, the proxy. Told apart by their value limits.
     */
    @Test
    void requestsCallThePublishedBeanAndTheContainersProxyOnlyWhileNoneIsPublished() throws Exception {
        RaftStoreLocal bean = node(10);
        KeyRequests beforeStart = new KeyRequests();
        beforeStart.node = node(5);
        assertEquals(413, assertThrows(ApiException.class, () -> beforeStart.body(request("12345678", 8))).status(),
                "nothing published: the proxy's limit");
        PublishedNode.publish(bean);
        try {
            KeyRequests started = new KeyRequests();
            started.node = node(5);
            assertArrayEquals("12345678".getBytes(), started.body(request("12345678", 8)), "the bean's limit");
        } finally {
            PublishedNode.withdraw(bean);
        }
        KeyRequests afterStop = new KeyRequests();
        afterStop.node = node(5);
        assertEquals(413, assertThrows(ApiException.class, () -> afterStop.body(request("12345678", 8))).status(),
                "withdrawn: the proxy again");
    }

    /** A node (bean or proxy) that answers only its limits: values up to {@code maxValueBytes}. */
    private static RaftStoreLocal node(int maxValueBytes) {
        return (RaftStoreLocal) Proxy.newProxyInstance(KeyRequestsTest.class.getClassLoader(),
                new Class<?>[]{RaftStoreLocal.class}, (proxy, method, args) -> {
                    if (method.getName().equals("limits")) {
                        return new StoreLimits(maxValueBytes, 100, 1000);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
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
