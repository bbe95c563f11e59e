package io.raftstore.web.console.history;

import io.raftstore.web.console.Durations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Draws the failover charts as inline SVG on the server: no script and no third-party library, so the page
 * works offline and the picture is exactly what was tested. Colours come from CSS classes per cause.
 */
public final class HistoryChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 180;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 20;
    private static final int BOTTOM = 34;
    private static final int MAX_BARS = 60;
    private static final DateTimeFormatter AXIS = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private HistoryChart() {
    }

    /**
     * Leaderless time of each failover, oldest on the left (the latest {@value #MAX_BARS}), on a scale rounded up
     * from the longest one with labelled grid lines. Start-ups are not given: their leaderless time is the
     * cluster starting, which would flatten failovers of tens of milliseconds to nothing.
     */
    public static String leaderlessBars(List<LeadershipChange> failovers) {
        List<LeadershipChange> shown = failovers.stream().sorted(Comparator.comparing(LeadershipChange::time))
                .skip(Math.max(0, failovers.size() - MAX_BARS)).toList();
        StringBuilder svg = open("Leaderless time per failover");
        if (shown.isEmpty()) {
            return empty(svg, "no failovers in this range");
        }
        long max = niceCeiling(shown.stream().mapToLong(LeadershipChange::leaderlessMillis).max().orElse(1));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 2; i++) {
            long value = max * i / 2;
            double y = TOP + plotH - plotH * (double) value / max;
            svg.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    i == 0 ? "axis" : "gridline", LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 6, y + 4, Durations.of(value)));
        }
        double slot = (double) plotW / shown.size();
        double barW = Math.max(2, Math.min(36, slot * 0.7));
        for (int i = 0; i < shown.size(); i++) {
            LeadershipChange c = shown.get(i);
            double h = c.leaderlessMillis() == 0 ? 1 : Math.max(2, plotH * (double) c.leaderlessMillis() / max);
            double x = LEFT + slot * i + (slot - barW) / 2;
            double y = TOP + plotH - h;
            svg.append(String.format(Locale.ROOT,
                    "<rect class=\"bar cause-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>term %d: %s, %d ms without leader</title></rect>",
                    css(c.cause()), x, y, barW, h, c.term(), escape(c.getCauseText()), c.leaderlessMillis()));
            if (shown.size() <= 24) {
                svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">t%d</text>",
                        x + barW / 2, HEIGHT - BOTTOM + 14, c.term()));
                svg.append(String.format(Locale.ROOT, "<text class=\"bar-value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d ms</text>",
                        x + barW / 2, Math.max(TOP - 4, y - 4), c.leaderlessMillis()));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">term</text>", LEFT, HEIGHT - 4));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">without leader</text>", 4, TOP - 8));
        return svg.append("</svg>").toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}: a scale people read at a glance. */
    static long niceCeiling(long value) {
        long power = 1;
        while (power * 10 <= Math.max(1, value)) {
            power *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return Math.max(1, step * power);
            }
        }
        return 10 * power;
    }

    /**
     * Every change as a mark on a time axis from shortly before the first change to {@code to}, whatever range
     * was chosen (a range's empty start otherwise crowds every mark against the right edge), with five labelled
     * times along it.
     */
    public static String timeline(List<LeadershipChange> changes, Instant to) {
        StringBuilder svg = open("Leadership changes over time");
        if (changes.isEmpty()) {
            return empty(svg, "no leadership changes in this range");
        }
        Instant first = changes.stream().map(LeadershipChange::time).min(Instant::compareTo).orElse(to);
        long span = Math.max(60_000, to.toEpochMilli() - first.toEpochMilli());
        long startMillis = to.toEpochMilli() - span - span / 20;
        span = to.toEpochMilli() - startMillis;
        int plotW = WIDTH - LEFT - RIGHT;
        int baseline = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, baseline, WIDTH - RIGHT, baseline));
        DateTimeFormatter labels = span > 86_400_000L ? AXIS : CLOCK;
        for (int i = 0; i <= 4; i++) {
            double x = LEFT + plotW * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line class=\"gridline\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                    x, TOP, x, baseline));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                    x, baseline + 16, i == 0 ? "start" : i == 4 ? "end" : "middle",
                    labels.format(Instant.ofEpochMilli(startMillis + span * i / 4)) + (i == 4 ? " UTC" : "")));
        }
        List<LeadershipChange> sorted = changes.stream().sorted(Comparator.comparing(LeadershipChange::time)).toList();
        // A rising step line counts changes; the marks under it say which cause each one had.
        StringBuilder steps = new StringBuilder();
        int plotH = baseline - TOP;
        for (int i = 0; i < sorted.size(); i++) {
            LeadershipChange c = sorted.get(i);
            double x = LEFT + plotW * (double) (c.time().toEpochMilli() - startMillis) / span;
            double y = baseline - plotH * (i + 1.0) / sorted.size();
            steps.append(steps.length() == 0 ? String.format(Locale.ROOT, "M%.1f %d ", x, baseline) : "")
                    .append(String.format(Locale.ROOT, "H%.1f V%.1f ", x, y));
            svg.append(String.format(Locale.ROOT,
                    "<circle class=\"mark cause-%s\" cx=\"%.1f\" cy=\"%d\" r=\"5\"><title>%s term %d: %s → %s (%s)</title></circle>",
                    css(c.cause()), x, baseline, AXIS.format(c.time()), c.term(), name(c.oldLeader()), name(c.newLeader()),
                    escape(c.getCauseText())));
        }
        steps.append(String.format(Locale.ROOT, "H%d", WIDTH - RIGHT));
        svg.append("<path class=\"steps\" d=\"").append(steps).append("\"/>");
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, TOP, LEFT, baseline));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>",
                LEFT - 6, TOP + 4, sorted.size()));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
                LEFT - 6, baseline));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">changes so far</text>", 4, TOP - 8));
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\">",
                WIDTH, HEIGHT, escape(title)));
    }

    private static String empty(StringBuilder svg, String text) {
        return svg.append(String.format(Locale.ROOT,
                "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></svg>",
                WIDTH / 2, HEIGHT / 2, text)).toString();
    }

    private static String name(String node) {
        return node == null ? "none" : escape(node);
    }

    static String css(String cause) {
        return cause.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
