package io.raftstore.web.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("0 ms", Durations.of(0));
        assertEquals("850 ms", Durations.of(850));
        assertEquals("11.4 s", Durations.of(11_390));
        assertEquals("3 min 20 s", Durations.of(200_000));
        assertEquals("2 h 5 min", Durations.of(7_500_000));
    }
}
