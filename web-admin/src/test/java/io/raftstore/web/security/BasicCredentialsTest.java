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
        var c = AdminOnlyFilter.BasicCredentials.parse(basic("admin:pa:ss"));
        assertEquals("admin", c.user());
        assertEquals("pa:ss", c.password());
    }

    @Test
    void refusesAnythingElse() {
        assertNull(AdminOnlyFilter.BasicCredentials.parse(null));
        assertNull(AdminOnlyFilter.BasicCredentials.parse("Bearer abc"));
        assertNull(AdminOnlyFilter.BasicCredentials.parse("Basic %%%"));
        assertNull(AdminOnlyFilter.BasicCredentials.parse(basic("nocolon")));
        assertNull(AdminOnlyFilter.BasicCredentials.parse(basic(":empty-user")));
    }
}
