package io.raftstore.resp.command;

/** What an authenticated user may do: the HTTP API's roles. */
public enum Role {
    /** Read keys. */
    READER,
    /** Read and write keys. */
    WRITER
}
