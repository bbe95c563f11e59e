package io.raftstore.resp.command;

import io.raftstore.api.NotACounterException;
import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.resp.protocol.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The error texts clients know (Redis's own wording, so their parsers and users recognise them), and the store's errors mapped onto them. */
final class Errors {

    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String SYNTAX = "ERR syntax error";
    static final String NOAUTH = "NOAUTH Authentication required.";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String CLUSTERDOWN = "CLUSTERDOWN The cluster is down";
    static final String OVERFLOW = "ERR increment or decrement would overflow";

    private Errors() {
    }

    static CommandException unknownCommand(List<byte[]> args) {
        StringBuilder text = new StringBuilder("ERR unknown command '").append(shortText(args.get(0)))
                .append("', with args beginning with: ");
        for (byte[] arg : args.subList(1, args.size())) {
            text.append('\'').append(shortText(arg)).append("' ");
        }
        return new CommandException(text.toString());
    }

    static CommandException wrongArity(String name) {
        return new CommandException("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command");
    }

    static CommandException noPermission(String name) {
        return new CommandException("NOPERM this user has no permissions to run the '" + name + "' command");
    }

    static CommandException unknownSubcommand(String command, String sub) {
        return new CommandException("ERR unknown subcommand '" + sub + "'. Try " + command.toUpperCase(Locale.ROOT) + " HELP.");
    }

    /** The store's failure as a reply; CLUSTERDOWN when it failed for want of a leader, as Redis Cluster clients expect. */
    static Reply fromStore(StoreException e, LeaderDirectory leaders) {
        if (e instanceof StoreUnavailableException && leaders.leaderEndpoint().isEmpty()) {
            return Reply.error(CLUSTERDOWN);
        }
        if (e instanceof NotACounterException) {
            return Reply.error(NOT_INTEGER);
        }
        return Reply.error("ERR " + e.getMessage());
    }

    /** An argument for an error message: at most 128 characters, as Redis cuts them. */
    static String shortText(byte[] arg) {
        String text = new String(arg, StandardCharsets.UTF_8);
        return text.length() <= 128 ? text : text.substring(0, 128);
    }
}
