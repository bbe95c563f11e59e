package io.raftstore.web.console.history;

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

    private HistoryChart() {
    }

    /** Leaderless time of each change, oldest on the left (the latest {@value #MAX_BARS} changes). */
    public static String leaderlessBars(List<LeadershipChange> changes) {
        List<LeadershipChange> shown = changes.stream().sorted(Comparator.comparing(LeadershipChange::time))
                .skip(Math.max(0, changes.size() - MAX_BARS)).toList();
        StringBuilder svg = open("Leaderless time per leadership change");
        if (shown.isEmpty()) {
            return empty(svg);
        }
        long max = Math.max(1, shown.stream().mapToLong(LeadershipChange::leaderlessMillis).max().orElse(1));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        yAxis(svg, max + " ms", plotH);
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
                // Labels on every bar: one long start-up election otherwise flattens the short failovers to nothing.
                svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">t%d</text>",
                        x + barW / 2, HEIGHT - BOTTOM + 14, c.term()));
                svg.append(String.format(Locale.ROOT, "<text class=\"bar-value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d ms</text>",
                        x + barW / 2, Math.max(TOP - 4, y - 4), c.leaderlessMillis()));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\">term</text>", LEFT, HEIGHT - 4));
        return svg.append("</svg>").toString();
    }

    /** Every change as a mark on a time axis from {@code from} (or the first change) to {@code to}. */
    public static String timeline(List<LeadershipChange> changes, Instant from, Instant to) {
        StringBuilder svg = open("Leadership changes over time");
        if (changes.isEmpty()) {
            return empty(svg);
        }
        Instant start = from != null ? from : changes.stream().map(LeadershipChange::time).min(Instant::compareTo).orElse(to);
        long span = Math.max(1, to.toEpochMilli() - start.toEpochMilli());
        int plotW = WIDTH - LEFT - RIGHT;
        int baseline = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, baseline, WIDTH - RIGHT, baseline));
        List<LeadershipChange> sorted = changes.stream().sorted(Comparator.comparing(LeadershipChange::time)).toList();
        // A rising step line counts changes; the marks under it say which cause each one had.
        StringBuilder steps = new StringBuilder();
        int plotH = baseline - TOP;
        for (int i = 0; i < sorted.size(); i++) {
            LeadershipChange c = sorted.get(i);
            double x = LEFT + plotW * (double) (c.time().toEpochMilli() - start.toEpochMilli()) / span;
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
        yAxis(svg, sorted.size() + " changes", plotH);
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text>", LEFT, HEIGHT - 8,
                AXIS.format(start)));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s UTC</text>",
                WIDTH - RIGHT, HEIGHT - 8, AXIS.format(to)));
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\">",
                WIDTH, HEIGHT, escape(title)));
    }

    private static void yAxis(StringBuilder svg, String topLabel, int plotH) {
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, TOP, LEFT, TOP + plotH));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                LEFT - 6, TOP + 4, escape(topLabel)));
        svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
                LEFT - 6, TOP + plotH));
    }

    private static String empty(StringBuilder svg) {
        return svg.append(String.format(Locale.ROOT,
                "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">no leadership changes in this range</text></svg>",
                WIDTH / 2, HEIGHT / 2)).toString();
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
