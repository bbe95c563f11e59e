package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One command: its name (lower case), arity as Redis counts it (the name included; negative = at least), what
 * it does, and its handler.
 *
 * @param atomic   for data commands: when the arguments need the command to run as one conditional batch
 *                 (a read and a write that must not be split); null for commands that are not data commands
 * @param firstKey position of the first key argument (0: none), for COMMAND's answer
 * @param lastKey  position of the last key argument (-1: the last argument)
 * @param keyStep  distance between key arguments (MSET: 2)
 */
record CommandSpec(String name, int arity, Set<Flag> flags, Predicate<List<byte[]>> atomic, int firstKey, int lastKey,
        int keyStep, Handler handler) {

    /** What kind of command it is. */
    enum Flag {
        /** Reads keys: needs the READER (or WRITER) role. */
        READ,
        /** Writes keys: needs the WRITER role, redirected from a follower when the connection asked for MOVED. */
        WRITE,
        /** Works on a {@link KeyView}, so MULTI can queue it. */
        DATA,
        /** Allowed before authentication. */
        NO_AUTH,
        /** Runs at once inside MULTI instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT). */
        TRANSACTION_CONTROL
    }

    /** Runs one command. Data commands must touch keys only through the call's view: they may run again on a conflict. */
    @FunctionalInterface
    interface Handler {
        Reply handle(CommandCall call);
    }

    boolean is(Flag flag) {
        return flags.contains(flag);
    }

    boolean arityMatches(int argumentCount) {
        return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
    }
}
