package io.raftstore.resp.command;

import io.raftstore.resp.command.CommandSpec.Flag;
import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * COMMAND, COMMAND COUNT, COMMAND INFO and COMMAND DOCS: what clients ask on connect to learn the commands'
 * arity and key positions. DOCS answers no documentation (an empty map), which clients accept.
 */
final class ServerCommands {

    private final CommandRegistry registry;

    ServerCommands(CommandRegistry registry) {
        this.registry = registry;
    }

    void register() {
        registry.control("command", -1, this::command);
    }

    private Reply command(CommandCall call) {
        if (call.count() == 1) {
            List<Reply> all = new ArrayList<>();
            registry.all().forEach(spec -> all.add(info(spec)));
            return new Reply.Array(all);
        }
        switch (call.option(1)) {
            case "COUNT" -> {
                return new Reply.Integer(registry.all().size());
            }
            case "INFO" -> {
                List<Reply> infos = new ArrayList<>();
                for (int i = 2; i < call.count(); i++) {
                    infos.add(registry.find(call.text(i)).map(ServerCommands::info).orElse(Reply.NULL_ARRAY));
                }
                return new Reply.Array(infos);
            }
            case "DOCS" -> {
                return new Reply.Map(List.of());
            }
            default -> throw Errors.unknownSubcommand("command", call.text(1));
        }
    }

    /** Redis's command entry: name, arity, flags, first key, last key, key step. */
    private static Reply info(CommandSpec spec) {
        List<Reply> flags = new ArrayList<>();
        if (spec.is(Flag.WRITE)) {
            flags.add(new Reply.Simple("write"));
        }
        if (spec.is(Flag.READ)) {
            flags.add(new Reply.Simple("readonly"));
        }
        if (spec.is(Flag.NO_AUTH)) {
            flags.add(new Reply.Simple("no_auth"));
        }
        if (spec.is(Flag.TRANSACTION_CONTROL)) {
            flags.add(new Reply.Simple("no_multi"));
        }
        return new Reply.Array(List.of(Reply.bulk(spec.name().toLowerCase(Locale.ROOT)), new Reply.Integer(spec.arity()),
                new Reply.Array(flags), new Reply.Integer(spec.firstKey()), new Reply.Integer(spec.lastKey()),
                new Reply.Integer(spec.keyStep())));
    }
}
