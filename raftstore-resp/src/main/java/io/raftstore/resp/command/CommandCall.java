package io.raftstore.resp.command;

import io.raftstore.api.InvalidKeyException;
import io.raftstore.api.spi.KeyRules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One command as a handler sees it: the session, the arguments (the name at 0) and the view of the keys
 * (null for commands that are not data commands).
 */
record CommandCall(ClientSession session, List<byte[]> args, KeyView view) {

    int count() {
        return args.size();
    }

    byte[] bytes(int index) {
        return args.get(index);
    }

    /** An argument as text (names, options, user names). */
    String text(int index) {
        return new String(args.get(index), StandardCharsets.UTF_8);
    }

    /** An option or subcommand name, upper case for comparison. */
    String option(int index) {
        return text(index).toUpperCase(Locale.ROOT);
    }

    /** A key: the store's keys are text, so the bytes must be UTF-8 and follow the store's key rules. */
    String key(int index) {
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(args.get(index))).toString();
        } catch (CharacterCodingException e) {
            throw new CommandException("ERR invalid key: RaftStore keys are UTF-8 text and argument " + index
                    + " is not valid UTF-8; nothing was done");
        }
        try {
            KeyRules.validate(key);
        } catch (InvalidKeyException e) {
            throw new CommandException("ERR " + e.getMessage());
        }
        return key;
    }

    /** An integer argument, with Redis's error when it is not one. */
    long integer(int index) {
        return parseInteger(text(index));
    }

    /** A decimal long as Redis reads one: no sign '+', no blanks. */
    static long parseInteger(String text) {
        if (text.isEmpty() || text.charAt(0) == '+' || text.length() > 20) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
    }

    /** The command's name, lower case, for messages. */
    String name() {
        return text(0).toLowerCase(Locale.ROOT);
    }
}
