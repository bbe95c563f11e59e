package io.raftstore.resp.command;

import io.raftstore.resp.protocol.Reply;

/**
 * A command that cannot run as sent (syntax, type, range): its reply is an error and the connection stays
 * open. The text starts with the Redis error code, e.g. "ERR syntax error".
 */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String errorText) {
        super(errorText);
    }

    public Reply reply() {
        return Reply.error(getMessage());
    }
}
