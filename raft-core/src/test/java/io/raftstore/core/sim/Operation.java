package io.raftstore.core.sim;

/**
 * One client operation on one key, as the client saw it. Times are stamps of one global, strictly
 * increasing event counter (so "A returned before B was invoked" is exact); ticks are for people reading
 * a trace.
 *
 * @param client     the client that ran it (each client runs one operation at a time)
 * @param kind       PUT, GET, CAS or WRITE
 * @param value      PUT/CAS/WRITE: the value written (WRITE: null deletes)
 * @param expected   CAS: the value required (null means absent)
 * @param output     PUT: the previous value; GET: the value read; CAS: the value after; WRITE: unused;
 *                   unknown if incomplete
 * @param ok         CAS: whether it wrote
 * @param invokedAt  stamp of the invocation
 * @param returnedAt stamp of the response, or {@link #PENDING} when the outcome is unknown (it may or may
 *                   not have taken effect)
 */
public record Operation(int client, String key, KvCommand.Op kind, String value, String expected, String output,
                        boolean ok, long invokedAt, long returnedAt, long invokeTick, long returnTick) {

    /** The response stamp of an operation whose outcome is unknown. */
    public static final long PENDING = Long.MAX_VALUE;

    public boolean complete() {
        return returnedAt != PENDING;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case PUT -> "put(" + value + ")" + (complete() ? " -> prev " + output : "");
            case GET -> "get()" + (complete() ? " -> " + output : "");
            case CAS -> "cas(" + expected + " => " + value + ")" + (complete() ? " -> " + ok : "");
            case WRITE -> (value == null ? "delete()" : "write(" + value + ")") + (complete() ? " -> ok" : "");
        };
        return String.format("c%d %s %s [tick %d..%s]", client, key, what, invokeTick,
                complete() ? String.valueOf(returnTick) : "?");
    }
}
