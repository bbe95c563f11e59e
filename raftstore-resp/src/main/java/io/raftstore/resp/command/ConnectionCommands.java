package io.raftstore.resp.command;

import io.raftstore.resp.command.CommandSpec.Flag;
import io.raftstore.resp.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** PING, ECHO, HELLO, AUTH, SELECT, CLIENT, READONLY, READWRITE and QUIT: the connection's own state. */
final class ConnectionCommands {

    static final String SERVER_VERSION = "0.1.0";

    private final Authenticator authenticator;
    private final LeaderDirectory leaders;
    private final CommandRegistry registry;

    ConnectionCommands(Authenticator authenticator, LeaderDirectory leaders, CommandRegistry registry) {
        this.authenticator = authenticator;
        this.leaders = leaders;
        this.registry = registry;
    }

    void register() {
        registry.control("ping", -1, this::ping);
        registry.control("echo", 2, call -> new Reply.Bulk(call.bytes(1)));
        registry.control("hello", -1, this::hello, Flag.NO_AUTH);
        registry.control("auth", -2, this::auth, Flag.NO_AUTH);
        registry.control("select", 2, this::select);
        registry.control("client", -2, this::client);
        registry.control("readonly", 1, call -> {
            call.session().readOnly(true);
            return Reply.OK;
        });
        registry.control("readwrite", 1, call -> {
            call.session().readOnly(false);
            return Reply.OK;
        });
        registry.control("quit", 1, call -> {
            call.session().requestClose();
            return Reply.OK;
        }, Flag.NO_AUTH, Flag.TRANSACTION_CONTROL);
    }

    private Reply ping(CommandCall call) {
        if (call.count() > 2) {
            throw Errors.wrongArity("ping");
        }
        return call.count() == 2 ? new Reply.Bulk(call.bytes(1)) : new Reply.Simple("PONG");
    }

    /** HELLO [protover [AUTH user password] [SETNAME name]]: all options are checked before any takes effect. */
    private Reply hello(CommandCall call) {
        ClientSession session = call.session();
        int protocol = session.protocol();
        Optional<Set<Role>> roles = Optional.empty();
        String user = null;
        String name = null;
        if (call.count() > 1) {
            long requested;
            try {
                requested = call.integer(1);
            } catch (CommandException e) {
                throw new CommandException("ERR Protocol version is not an integer or out of range");
            }
            if (requested != 2 && requested != 3) {
                throw new CommandException("NOPROTO unsupported protocol version");
            }
            protocol = (int) requested;
        }
        for (int i = 2; i < call.count(); i++) {
            String option = call.option(i);
            if (option.equals("AUTH") && i + 2 < call.count()) {
                user = call.text(i + 1);
                roles = Optional.of(login(user, call.text(i + 2)));
                i += 2;
            } else if (option.equals("SETNAME") && i + 1 < call.count()) {
                name = clientName(call.text(i + 1));
                i++;
            } else {
                throw new CommandException("ERR Syntax error in HELLO option '" + call.text(i) + "'");
            }
        }
        if (roles.isEmpty() && !session.authenticated()) {
            throw new CommandException("NOAUTH HELLO must be called with the client already authenticated, otherwise"
                    + " the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select"
                    + " the RESP protocol version at the same time");
        }
        if (roles.isPresent()) {
            session.login(user, roles.get());
        }
        if (name != null) {
            session.name(name);
        }
        session.protocol(protocol);
        List<Reply> map = new ArrayList<>();
        pair(map, "server", Reply.bulk("raftstore"));
        pair(map, "version", Reply.bulk(SERVER_VERSION));
        pair(map, "proto", new Reply.Integer(protocol));
        pair(map, "id", new Reply.Integer(session.id()));
        pair(map, "mode", Reply.bulk("standalone"));
        pair(map, "role", Reply.bulk(leaders.localIsLeader() ? "master" : "replica"));
        pair(map, "modules", new Reply.Array(List.of()));
        return new Reply.Map(map);
    }

    private static void pair(List<Reply> map, String key, Reply value) {
        map.add(Reply.bulk(key));
        map.add(value);
    }

    /** AUTH password, or AUTH user password. */
    private Reply auth(CommandCall call) {
        if (call.count() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        String user = call.count() == 3 ? call.text(1) : "default";
        call.session().login(user, login(user, call.text(call.count() - 1)));
        return Reply.OK;
    }

    private Set<Role> login(String user, String password) {
        return authenticator.authenticate(user, password).orElseThrow(() -> new CommandException(Errors.WRONGPASS));
    }

    private Reply select(CommandCall call) {
        if (call.integer(1) != 0) {
            throw new CommandException("ERR DB index is out of range: RaftStore has one key space, database 0");
        }
        return Reply.OK;
    }

    private Reply client(CommandCall call) {
        String sub = call.option(1);
        ClientSession session = call.session();
        switch (sub) {
            case "SETNAME" -> {
                subArity(call, 3);
                session.name(clientName(call.text(2)));
                return Reply.OK;
            }
            case "GETNAME" -> {
                subArity(call, 2);
                return session.name() == null ? Reply.NULL : Reply.bulk(session.name());
            }
            case "ID" -> {
                subArity(call, 2);
                return new Reply.Integer(session.id());
            }
            case "SETINFO" -> {
                // Jedis and Lettuce announce their library name and version on connect; nothing here uses it.
                subArity(call, 4);
                return Reply.OK;
            }
            case "REDIRECT" -> {
                subArity(call, 3);
                String mode = call.option(2);
                if (!mode.equals("ON") && !mode.equals("OFF")) {
                    throw new CommandException("ERR CLIENT REDIRECT takes ON (answer MOVED for writes on a follower)"
                            + " or OFF (forward them to the leader, the default)");
                }
                session.redirect(mode.equals("ON"));
                return Reply.OK;
            }
            default -> throw Errors.unknownSubcommand("client", call.text(1));
        }
    }

    private static void subArity(CommandCall call, int arity) {
        if (call.count() != arity) {
            throw Errors.wrongArity("client|" + call.text(1).toLowerCase(Locale.ROOT));
        }
    }

    /** Redis's rule: a name is printable ASCII without spaces, so it fits CLIENT LIST's lines. */
    private static String clientName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch > '~') {
                throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return name;
    }
}
