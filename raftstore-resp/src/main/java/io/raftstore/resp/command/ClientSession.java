package io.raftstore.resp.command;

import io.raftstore.api.ReadConsistency;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one connection: protocol version, user and roles, name, per-connection switches (READONLY,
 * CLIENT REDIRECT), the MULTI queue and WATCHed keys, and its client session of the store. Not thread-safe:
 * a connection's commands run one after another.
 */
public final class ClientSession {

    private final long id;
    private final SessionWriter writer;
    private int protocol = 2;
    private String name;
    private String user;
    private final Set<Role> roles = EnumSet.noneOf(Role.class);
    private boolean authenticated;
    private boolean redirect;
    private boolean readOnly;
    private boolean closeRequested;
    private boolean readBarrierHeld;
    private List<QueuedCommand> queue;
    private boolean queueFailed;
    private final Map<String, Long> watched = new LinkedHashMap<>();

    /** A command MULTI queued, to run at EXEC. */
    record QueuedCommand(CommandSpec spec, List<byte[]> args) {
    }

    ClientSession(long id, SessionWriter writer, Set<Role> anonymousRoles) {
        this.id = id;
        this.writer = writer;
        if (!anonymousRoles.isEmpty()) {
            authenticated = true;
            user = "default";
            roles.addAll(anonymousRoles);
        }
    }

    /** The connection's id, as CLIENT ID answers it. */
    public long id() {
        return id;
    }

    /** 2 or 3, as HELLO set it: pass it to the reply encoder. */
    public int protocol() {
        return protocol;
    }

    /** True after QUIT: send the reply, then close the connection. */
    public boolean closeRequested() {
        return closeRequested;
    }

    /** The store client id of this connection's writes. */
    public long clientId() {
        return writer.clientId();
    }

    void protocol(int version) {
        protocol = version;
    }

    String name() {
        return name;
    }

    void name(String clientName) {
        name = clientName;
    }

    String user() {
        return user;
    }

    void login(String userName, Set<Role> granted) {
        user = userName;
        roles.clear();
        roles.addAll(granted);
        authenticated = true;
    }

    boolean authenticated() {
        return authenticated;
    }

    boolean may(Role role) {
        return roles.contains(role) || role == Role.READER && roles.contains(Role.WRITER);
    }

    boolean redirect() {
        return redirect;
    }

    void redirect(boolean on) {
        redirect = on;
    }

    void readOnly(boolean on) {
        readOnly = on;
    }

    /**
     * READONLY connections read what this node has applied; the others read linearizably, except while a
     * pipelined run of reads holds a barrier ({@link Dispatcher#dispatchAll}).
     */
    ReadConsistency readConsistency() {
        return readOnly || readBarrierHeld ? ReadConsistency.STALE : ReadConsistency.LINEARIZABLE;
    }

    void holdReadBarrier(boolean held) {
        readBarrierHeld = held;
    }

    void requestClose() {
        closeRequested = true;
    }

    SessionWriter writer() {
        return writer;
    }

    boolean inMulti() {
        return queue != null;
    }

    void beginMulti() {
        queue = new ArrayList<>();
        queueFailed = false;
    }

    void enqueue(CommandSpec spec, List<byte[]> args) {
        queue.add(new QueuedCommand(spec, args));
    }

    /** A command failed to queue: EXEC will refuse the transaction, as Redis does. */
    void failQueue() {
        if (queue != null) {
            queueFailed = true;
        }
    }

    boolean queueFailed() {
        return queueFailed;
    }

    /** Ends MULTI and the WATCHes, returning what was queued. */
    List<QueuedCommand> endMulti() {
        List<QueuedCommand> queued = queue;
        queue = null;
        queueFailed = false;
        watched.clear();
        return queued;
    }

    /** Remembers the version a key had when first WATCHed (0 when absent). */
    void watch(String key, long version) {
        watched.putIfAbsent(key, version);
    }

    boolean watching(String key) {
        return watched.containsKey(key);
    }

    Map<String, Long> watched() {
        return Map.copyOf(watched);
    }

    void unwatch() {
        watched.clear();
    }
}
