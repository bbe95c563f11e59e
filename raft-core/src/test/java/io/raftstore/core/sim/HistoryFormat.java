package io.raftstore.core.sim;

import java.util.Comparator;
import java.util.List;

/** Prints a key's history, one operation per line in invocation order, for failure reports. */
final class HistoryFormat {

    private HistoryFormat() {
    }

    static String format(List<Operation> ops) {
        StringBuilder sb = new StringBuilder();
        ops.stream().sorted(Comparator.comparingLong(Operation::invokedAt))
                .forEach(o -> sb.append("\n    ").append(o));
        return sb.toString();
    }
}
