package io.raftstore.bench.jca;

import java.util.Locale;

/**
 * What a run measured (warm-up excluded).
 *
 * @param errors calls that threw; they count in neither throughput nor latency
 */
public record LoadResult(long calls, long errors, double seconds, double callsPerSecond, double p50Micros,
                         double p99Micros) {

    String toJson() {
        return String.format(Locale.ROOT,
                "{\"calls\":%d,\"errors\":%d,\"seconds\":%.2f,\"callsPerSecond\":%.1f,\"p50Micros\":%.0f,\"p99Micros\":%.0f}",
                calls, errors, seconds, callsPerSecond, p50Micros, p99Micros);
    }
}
