package io.raftstore.api.spi;

/**
 * One write of a client session: the store applies a repeated (client, sequence) once and answers every
 * repetition with the first outcome, so a write whose outcome was unknown (the leader lost mid-request) can
 * be sent again without applying twice. A client's sequences grow by one per write and it sends one write at a
 * time; the store remembers a bounded number of clients, the least recently active going first.
 *
 * @param clientId any number but 0, chosen at random by the client (0 is "no session")
 * @param sequence 1 for the client's first write, then one more per write
 */
public record ClientRequest(long clientId, long sequence) {

    public ClientRequest {
        if (clientId == 0) {
            throw new IllegalArgumentException("client id 0 means no session; choose another");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("a session's sequence starts at 1, not " + sequence);
        }
    }
}
