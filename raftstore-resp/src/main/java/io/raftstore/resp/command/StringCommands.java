package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** GET, SET, SETNX, GETSET, MGET, MSET, DEL, EXISTS, STRLEN and APPEND. */
final class StringCommands {

    private final CommandRegistry registry;

    StringCommands(CommandRegistry registry) {
        this.registry = registry;
    }

    void register() {
        registry.read("get", 2, 1, call -> Reply.bulkOrNull(call.view().get(call.key(1)).orElse(null)));
        // Plain SET is one put; NX, XX and GET read the key first, so they run as one batch.
        registry.write("set", -3, 1, 1, args -> args.size() > 3, this::set);
        registry.atomicWrite("setnx", 3, 1, 1, call -> {
            String key = call.key(1);
            if (call.view().get(key).isPresent()) {
                return new Reply.Integer(0);
            }
            call.view().put(key, call.bytes(2));
            return new Reply.Integer(1);
        });
        registry.atomicWrite("getset", 3, 1, 1, call -> {
            String key = call.key(1);
            Optional<byte[]> old = call.view().get(key);
            call.view().put(key, call.bytes(2));
            return Reply.bulkOrNull(old.orElse(null));
        });
        registry.read("mget", -2, -1, call -> {
            List<Reply> values = new ArrayList<>();
            for (int i = 1; i < call.count(); i++) {
                values.add(Reply.bulkOrNull(call.view().get(call.key(i)).orElse(null)));
            }
            return new Reply.Array(values);
        });
        registry.atomicWrite("mset", -3, -1, 2, this::mset);
        registry.write("del", -2, -1, 1, args -> args.size() > 2, call -> {
            long deleted = 0;
            for (int i = 1; i < call.count(); i++) {
                deleted += call.view().delete(call.key(i)) ? 1 : 0;
            }
            return new Reply.Integer(deleted);
        });
        registry.read("exists", -2, -1, call -> {
            long found = 0;
            for (int i = 1; i < call.count(); i++) {
                found += call.view().get(call.key(i)).isPresent() ? 1 : 0;
            }
            return new Reply.Integer(found);
        });
        registry.read("strlen", 2, 1, call -> new Reply.Integer(call.view().get(call.key(1)).map(v -> v.length).orElse(0)));
        registry.atomicWrite("append", 3, 1, 1, call -> {
            String key = call.key(1);
            byte[] old = call.view().get(key).orElse(new byte[0]);
            byte[] tail = call.bytes(2);
            byte[] joined = new byte[old.length + tail.length];
            System.arraycopy(old, 0, joined, 0, old.length);
            System.arraycopy(tail, 0, joined, old.length, tail.length);
            call.view().put(key, joined);
            return new Reply.Integer(joined.length);
        });
    }

    /** SET key value [NX|XX] [GET] [KEEPTTL]; expiry options are refused until keys can expire. */
    private Reply set(CommandCall call) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        for (int i = 3; i < call.count(); i++) {
            switch (call.option(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GET" -> get = true;
                // No key expires, so keeping the expiry it does not have is what SET does anyway.
                case "KEEPTTL" -> { }
                case "EX", "PX", "EXAT", "PXAT" -> throw new CommandException("ERR keys cannot expire in RaftStore"
                        + " yet: SET with " + call.option(i) + " is not supported; set the key without an expiry");
                default -> throw new CommandException(Errors.SYNTAX);
            }
        }
        if (nx && xx) {
            throw new CommandException(Errors.SYNTAX);
        }
        String key = call.key(1);
        Optional<byte[]> old = nx || xx || get ? call.view().get(key) : Optional.empty();
        boolean apply = nx ? old.isEmpty() : !xx || old.isPresent();
        if (apply) {
            call.view().put(key, call.bytes(2));
        }
        if (get) {
            return Reply.bulkOrNull(old.orElse(null));
        }
        return apply ? Reply.OK : Reply.NULL;
    }

    private Reply mset(CommandCall call) {
        if (call.count() % 2 == 0) {
            throw Errors.wrongArity("mset");
        }
        for (int i = 1; i < call.count(); i += 2) {
            call.view().put(call.key(i), call.bytes(i + 1));
        }
        return Reply.OK;
    }
}
