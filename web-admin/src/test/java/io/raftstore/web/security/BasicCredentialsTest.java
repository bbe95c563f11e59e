package io.raftstore.web.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BasicCredentialsTest {

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesUserAndPasswordWithColons() {
        var c = BasicCredentials.parse(basic("admin:pa:ss"));
        assertEquals("admin", c.user());
        assertEquals("pa:ss", c.password());
    }

    @Test
    void refusesAnythingElse() {
        assertNull(BasicCredentials.parse(null));
        assertNull(BasicCredentials.parse("Bearer abc"));
        assertNull(BasicCredentials.parse("Basic %%%"));
        assertNull(BasicCredentials.parse(basic("nocolon")));
        assertNull(BasicCredentials.parse(basic(":empty-user")));
    }
}
