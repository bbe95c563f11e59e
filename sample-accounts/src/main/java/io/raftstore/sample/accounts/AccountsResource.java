package io.raftstore.sample.accounts;

import io.raftstore.api.ConditionFailedException;
import io.raftstore.api.StoreException;
import io.raftstore.api.StoreUnavailableException;
import io.raftstore.api.TransactionConflictException;
import io.raftstore.api.ValueTooLargeException;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/accounts} balances and their total; {@code PUT /api/accounts/{name}?balance=N} opens an
 * account; {@code POST /api/transfers?from=&to=&amount=} moves money; {@code PUT/GET
 * /api/accounts/{name}/note} a free-text note. Two demonstration switches on a transfer: {@code &fail=true}
 * writes it and then fails (the rollback leaves nothing), {@code &pauseMillis=N} waits between reading the
 * balances and writing them (two such transfers at once conflict). Errors are JSON
 * {@code {"error": CODE, "message": text}}.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class AccountsResource {

    @EJB
    AccountService accounts;

    @GET
    @Path("accounts")
    public Response balances() {
        return call(() -> {
            Map<String, Long> balances = accounts.balances();
            JsonObjectBuilder list = Json.createObjectBuilder();
            balances.forEach(list::add);
            long total = balances.values().stream().mapToLong(Long::longValue).sum();
            return Response.ok(Json.createObjectBuilder().add("accounts", list).add("total", total).build().toString());
        });
    }

    @PUT
    @Path("accounts/{name}")
    public Response open(@PathParam("name") String name, @QueryParam("balance") @DefaultValue("0") long balance) {
        return call(() -> {
            accounts.open(name, balance);
            return Response.status(201).entity(Json.createObjectBuilder().add("account", name).add("balance", balance)
                    .build().toString());
        });
    }

    @PUT
    @Path("accounts/{name}/note")
    @Consumes(MediaType.TEXT_PLAIN)
    public Response note(@PathParam("name") String name, String text) {
        return call(() -> {
            accounts.note(name, text == null ? "" : text);
            return Response.noContent();
        });
    }

    @GET
    @Path("accounts/{name}/note")
    @Produces(MediaType.TEXT_PLAIN)
    public Response note(@PathParam("name") String name) {
        Optional<String> note;
        try {
            note = accounts.note(name);
        } catch (RuntimeException e) {
            return failure(e);
        }
        return note.map(t -> Response.ok(t, MediaType.TEXT_PLAIN_TYPE).build())
                .orElseGet(() -> error(404, "NO_NOTE", "account '" + name + "' has no note"));
    }

    @POST
    @Path("transfers")
    public Response transfer(@QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("amount") long amount, @QueryParam("fail") boolean fail,
                             @QueryParam("pauseMillis") @DefaultValue("0") int pauseMillis) {
        return call(() -> {
            if (fail) {
                accounts.transferThenFail(from, to, amount);
            } else {
                accounts.transfer(from, to, amount, pauseMillis);
            }
            return Response.ok(Json.createObjectBuilder().add("from", from).add("to", to).add("amount", amount)
                    .build().toString());
        });
    }

    private interface Action {
        Response.ResponseBuilder run();
    }

    private static Response call(Action action) {
        try {
            return action.run().type(MediaType.APPLICATION_JSON).build();
        } catch (RuntimeException e) {
            return failure(e);
        }
    }

    /** Which exception, found anywhere in the cause chain, becomes which status; the first match wins. */
    private record Mapping(Class<? extends Throwable> type, int status, String code) {
    }

    private static final List<Mapping> MAPPINGS = List.of(
            new Mapping(TransactionConflictException.class, 409, "CONFLICT"),
            new Mapping(ConditionFailedException.class, 409, "EXISTS"),
            new Mapping(ValueTooLargeException.class, 413, "TOO_LARGE"),
            new Mapping(InsufficientFundsException.class, 422, "INSUFFICIENT_FUNDS"),
            new Mapping(UnknownAccountException.class, 404, "UNKNOWN_ACCOUNT"),
            new Mapping(DemonstrationRollbackException.class, 500, "ROLLED_BACK"),
            new Mapping(IllegalArgumentException.class, 400, "BAD_REQUEST"),
            new Mapping(StoreException.class, 400, "STORE"));

    /** Maps what the service threw, however the container wrapped it, to a status and a message. */
    static Response failure(RuntimeException e) {
        Optional<StoreUnavailableException> unavailable = Causes.find(e, StoreUnavailableException.class);
        if (unavailable.isPresent()) {
            return Response.status(503).header("Retry-After", Math.max(1, unavailable.get().retryAfterMillis() / 1000))
                    .type(MediaType.APPLICATION_JSON).entity(json("UNAVAILABLE", unavailable.get().getMessage())).build();
        }
        for (Mapping m : MAPPINGS) {
            Optional<? extends Throwable> found = Causes.find(e, m.type());
            if (found.isPresent()) {
                return error(m.status(), m.code(), found.get().getMessage());
            }
        }
        return error(500, "INTERNAL", String.valueOf(e));
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(json(code, message)).build();
    }

    private static String json(String code, String message) {
        return Json.createObjectBuilder().add("error", code).add("message", message == null ? "" : message).build().toString();
    }
}
