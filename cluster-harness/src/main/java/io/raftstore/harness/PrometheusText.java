package io.raftstore.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape of a Prometheus text endpoint (exposition format 0.0.4, what Liberty's {@code /metrics} serves),
 * parsed the way Prometheus reads it: {@code # TYPE} lines, samples with quoted, escaped label values, and
 * the special values {@code NaN}, {@code +Inf} and {@code -Inf}. Malformed input fails with the line, so a
 * test never passes on text it misread.
 */
public final class PrometheusText {

    /** One sample: metric name, labels, value (timestamps are dropped). */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = Collections.unmodifiableList(samples);
        this.types = Collections.unmodifiableMap(types);
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            try {
                if (l.startsWith("#")) {
                    String[] parts = l.substring(1).strip().split("\\s+", 3);
                    if (parts.length == 3 && parts[0].equals("TYPE")) {
                        types.put(parts[1], parts[2].strip());
                    }
                } else {
                    samples.add(new LineReader(l).sample());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + " is not Prometheus text (" + e.getMessage()
                        + "): " + line, e);
            }
        }
        return new PrometheusText(samples, types);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The {@code # TYPE} of a metric family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Every sample of {@code name} whose labels include all of {@code labels}. */
    public List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /**
     * The sum of every sample of {@code name} whose labels include {@code labels} (a counter over all its
     * other labels); fails naming what the scrape held when there is none.
     */
    public double sum(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.isEmpty()) {
            throw new IllegalStateException("no sample " + name + labels + " in the scrape; its raftstore metrics: "
                    + samples.stream().map(Sample::name).filter(n -> n.startsWith("raftstore")).distinct().toList());
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** Reads one sample line: name, optional label set, value, optional timestamp. */
    private static final class LineReader {
        private final String line;
        private int at;

        LineReader(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at++;
                skipSpaces();
                while (line.charAt(at) != '}') {
                    String label = name();
                    skipSpaces();
                    expect('=');
                    skipSpaces();
                    labels.put(label, quoted());
                    skipSpaces();
                    if (line.charAt(at) == ',') {
                        at++;
                        skipSpaces();
                    } else if (line.charAt(at) != '}') {
                        throw new IllegalArgumentException("',' or '}' expected at " + at);
                    }
                }
                at++;
            }
            String[] rest = line.substring(at).strip().split("\\s+");
            if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
                throw new IllegalArgumentException("a value (and an optional timestamp) expected after the labels");
            }
            return new Sample(name, Collections.unmodifiableMap(labels), value(rest[0]));
        }

        private String name() {
            int start = at;
            while (at < line.length() && (Character.isLetterOrDigit(line.charAt(at)) || line.charAt(at) == '_'
                    || line.charAt(at) == ':')) {
                at++;
            }
            if (at == start || Character.isDigit(line.charAt(start))) {
                throw new IllegalArgumentException("a name expected at " + start);
            }
            return line.substring(start, at);
        }

        private String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (at >= line.length()) {
                    throw new IllegalArgumentException("unterminated label value");
                }
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char escaped = line.charAt(at++);
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case '\\' -> '\\';
                        case '"' -> '"';
                        default -> throw new IllegalArgumentException("unknown escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
        }

        private void expect(char c) {
            if (at >= line.length() || line.charAt(at) != c) {
                throw new IllegalArgumentException("'" + c + "' expected at " + at);
            }
            at++;
        }

        private void skipSpaces() {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
        }

        private static double value(String text) {
            return switch (text) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + text + "' is not a number");
                    }
                }
            };
        }
    }
}
