package io.raftstore.resp.command;

import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.api.spi.StoreGateway;
import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;

/**
 * SCAN and DBSIZE. SCAN reads one page of at most COUNT keys (and at most the store's scan limit) after the
 * last key of the previous page, which its cursor stands for ({@link ScanCursors}): a key present for the
 * whole scan is returned once, wherever the writes in between went. DBSIZE pages through every key, so it
 * costs what a full SCAN costs.
 */
final class KeyspaceCommands {

    private static final int DEFAULT_COUNT = 10;

    private final StoreGateway gateway;
    private final CommandRegistry registry;
    private final ScanCursors cursors;

    KeyspaceCommands(StoreGateway gateway, CommandRegistry registry, ScanCursors cursors) {
        this.gateway = gateway;
        this.registry = registry;
        this.cursors = cursors;
    }

    void register() {
        registry.scan("scan", -2, this::scan);
        registry.scan("dbsize", 1, this::dbsize);
    }

    private Reply scan(CommandCall call) {
        String after = after(call.text(1));
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
                        return page(0, List.of());
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
        int limit = (int) Math.min(count, gateway.limits().maxScanLimit());
        ScanPage window = gateway.scan(prefix, after, limit, call.session().readConsistency());
        List<String> keys = new ArrayList<>();
        for (Versioned entry : window.entries()) {
            if (!exact || entry.key().equals(pattern)) {
                keys.add(entry.key());
            }
        }
        List<Versioned> entries = window.entries();
        boolean more = window.more() && !entries.isEmpty();
        return page(more ? cursors.open(entries.get(entries.size() - 1).key()) : 0, keys);
    }

    private Reply dbsize(CommandCall call) {
        int limit = gateway.limits().maxScanLimit();
        long keys = 0;
        String after = null;
        ScanPage window;
        do {
            window = gateway.scan("", after, limit, call.session().readConsistency());
            keys += window.entries().size();
            if (!window.entries().isEmpty()) {
                after = window.entries().get(window.entries().size() - 1).key();
            }
        } while (window.more() && !window.entries().isEmpty());
        return new Reply.Integer(keys);
    }

    private static Reply page(long cursor, List<String> keys) {
        List<Reply> items = new ArrayList<>();
        keys.forEach(k -> items.add(Reply.bulk(k)));
        return new Reply.Array(List.of(Reply.bulk(Long.toUnsignedString(cursor)), new Reply.Array(items)));
    }

    /** The key after which to go on: null for "0", the start. */
    private String after(String text) {
        if (text.equals("0")) {
            return null;
        }
        String last;
        try {
            last = cursors.lastKey(Long.parseUnsignedLong(text));
        } catch (NumberFormatException e) {
            last = null;
        }
        if (last == null) {
            throw new CommandException("ERR invalid cursor: pass 0 to start, then the cursor the last SCAN returned on"
                    + " this node (a node remembers its latest " + ScanCursors.CAPACITY + " cursors)");
        }
        return last;
    }

    private static boolean hasGlob(String text) {
        return text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('\\') >= 0;
    }
}
