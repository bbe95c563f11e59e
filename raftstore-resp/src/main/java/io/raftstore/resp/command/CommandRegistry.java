package io.raftstore.resp.command;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The commands by name (case-insensitive). Filled once by the command groups, then only read. */
final class CommandRegistry {

    private static final Predicate<List<byte[]>> NEVER = args -> false;
    private static final Predicate<List<byte[]>> ALWAYS = args -> true;

    private final Map<String, CommandSpec> commands = new TreeMap<>();

    /** A command that touches no keys (connection, server and transaction commands). */
    void control(String name, int arity, CommandSpec.Handler handler, CommandSpec.Flag... flags) {
        add(new CommandSpec(name, arity, flags(flags), null, 0, 0, 0, handler));
    }

    /** A read of keys from position 1 to {@code lastKey} (-1: the last argument) that runs directly. */
    void read(String name, int arity, int lastKey, CommandSpec.Handler handler) {
        add(new CommandSpec(name, arity, flags(CommandSpec.Flag.READ, CommandSpec.Flag.DATA), NEVER, 1, lastKey, 1, handler));
    }

    /** A read that cannot be queued in MULTI (it scans rather than reads keys). */
    void scan(String name, int arity, CommandSpec.Handler handler) {
        add(new CommandSpec(name, arity, flags(CommandSpec.Flag.READ), null, 0, 0, 0, handler));
    }

    /**
     * A write of keys from position 1, every {@code keyStep} arguments, up to {@code lastKey}.
     *
     * @param atomic when the command, so sent, must read and write as one batch
     */
    void write(String name, int arity, int lastKey, int keyStep, Predicate<List<byte[]>> atomic,
            CommandSpec.Handler handler) {
        add(new CommandSpec(name, arity, flags(CommandSpec.Flag.WRITE, CommandSpec.Flag.DATA), atomic, 1, lastKey,
                keyStep, handler));
    }

    /** A write that always runs as one batch. */
    void atomicWrite(String name, int arity, int lastKey, int keyStep, CommandSpec.Handler handler) {
        write(name, arity, lastKey, keyStep, ALWAYS, handler);
    }

    private void add(CommandSpec spec) {
        if (commands.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command " + spec.name() + " registered twice");
        }
    }

    private static EnumSet<CommandSpec.Flag> flags(CommandSpec.Flag... flags) {
        EnumSet<CommandSpec.Flag> set = EnumSet.noneOf(CommandSpec.Flag.class);
        Collections.addAll(set, flags);
        return set;
    }

    Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(commands.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every command, by name. */
    Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }
}
