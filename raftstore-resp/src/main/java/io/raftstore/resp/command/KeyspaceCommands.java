package io.raftstore.resp.command;

import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.protocol.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * SCAN and DBSIZE. The store scans a prefix from its first key, up to its scan limit, and cannot yet start
 * after a given key; so SCAN pages through the first {@code maxScanLimit} keys of a prefix and says so past
 * them, and DBSIZE counts at most that many keys.
 *
 * <p>SCAN's cursor is the last key returned, hex-encoded ("0" to start and at the end): stateless, so it
 * stays valid across connections and nodes. Keys are compared as UTF-8 bytes, the store's order.
 */
final class KeyspaceCommands {

    private static final int DEFAULT_COUNT = 10;

    private final StoreGateway gateway;
    private final CommandRegistry registry;

    KeyspaceCommands(StoreGateway gateway, CommandRegistry registry) {
        this.gateway = gateway;
        this.registry = registry;
    }

    void register() {
        registry.scan("scan", -2, this::scan);
        registry.scan("dbsize", 1, call -> new Reply.Integer(gateway.scan("", gateway.limits().maxScanLimit(),
                call.session().readConsistency()).entries().size()));
    }

    private Reply scan(CommandCall call) {
        byte[] after = cursor(call.text(1));
        String pattern = "*";
        long count = DEFAULT_COUNT;
        for (int i = 2; i < call.count(); i++) {
            String option = call.option(i);
            if (i + 1 >= call.count()) {
                throw new CommandException(Errors.SYNTAX);
            }
            switch (option) {
                case "MATCH" -> pattern = call.text(++i);
                case "COUNT" -> {
                    count = call.integer(++i);
                    if (count < 1) {
                        throw new CommandException(Errors.SYNTAX);
                    }
                }
                case "TYPE" -> {
                    // Every value is a string: another type matches nothing.
                    if (!call.option(++i).equals("STRING")) {
                        return page(null, List.of());
                    }
                }
                default -> throw new CommandException(Errors.SYNTAX);
            }
        }
        boolean exact = pattern.indexOf('*') < 0;
        String prefix = exact ? pattern : pattern.substring(0, pattern.length() - 1);
        if (!exact && prefix.indexOf('*') >= 0 || hasGlob(prefix)) {
            throw new CommandException("ERR MATCH supports a literal key or a literal prefix followed by one '*'"
                    + " (like user:*); other glob patterns are not supported");
        }
        int limit = gateway.limits().maxScanLimit();
        ScanPage window = gateway.scan(prefix, limit, call.session().readConsistency());
        List<Versioned> entries = window.entries();
        int from = 0;
        while (from < entries.size() && compare(entries.get(from).key(), after) <= 0) {
            from++;
        }
        if (from == entries.size() && window.more()) {
            throw new CommandException("ERR SCAN reached the store's scan limit of " + limit + " keys for prefix '"
                    + prefix + "'; the store cannot yet scan on from a key. Use MATCH with a longer prefix");
        }
        List<String> keys = new ArrayList<>();
        int i = from;
        for (; i < entries.size() && keys.size() < count; i++) {
            String key = entries.get(i).key();
            if (!exact || key.equals(pattern)) {
                keys.add(key);
            }
        }
        boolean more = i < entries.size() || window.more();
        return page(more ? entries.get(i - 1).key() : null, keys);
    }

    private static Reply page(String last, List<String> keys) {
        List<Reply> items = new ArrayList<>();
        keys.forEach(k -> items.add(Reply.bulk(k)));
        String cursor = last == null ? "0" : HexFormat.of().formatHex(last.getBytes(StandardCharsets.UTF_8));
        return new Reply.Array(List.of(Reply.bulk(cursor), new Reply.Array(items)));
    }

    /** The key after which to go on; empty for "0", the start (every key is longer, so every key comes after it). */
    private static byte[] cursor(String text) {
        if (text.equals("0")) {
            return new byte[0];
        }
        try {
            if (text.length() % 2 != 0 || text.isEmpty()) {
                throw new IllegalArgumentException("odd length");
            }
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException("ERR invalid cursor: pass 0 to start, then the cursor the last SCAN returned");
        }
    }

    private static boolean hasGlob(String text) {
        return text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('\\') >= 0;
    }

    private static int compare(String key, byte[] after) {
        return Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8), after);
    }
}
