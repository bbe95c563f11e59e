package io.raftstore.web.console;

import java.util.Locale;

/** Durations as the console writes them, for people: "850 ms", "11.4 s", "3 min 20 s", "2 h 5 min". */
public final class Durations {

    private Durations() {
    }

    public static String of(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
