package io.raftstore.bench.jca;

import io.raftstore.api.StoreConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /bench/api/run?via=adapter|gateway&op=put|get|get-lease|get-stale|tx10&callers=16&seconds=10&valueBytes=100}:
 * runs one measurement in this server and answers its result as JSON. Callers are container threads (from the
 * ManagedThreadFactory), so the adapter path sees the same JNDI and transaction context as an application's
 * request would.
 */
@Path("run")
public class BenchResource {

    private static final int MAX_CALLERS = 256;

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    @Resource
    UserTransaction transactions;

    /** One container thread per caller: a shared executor would cap the callers at its pool size. */
    @Resource
    ManagedThreadFactory threads;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response run(@QueryParam("via") @DefaultValue("adapter") String via,
                        @QueryParam("op") @DefaultValue("put") String op,
                        @QueryParam("callers") @DefaultValue("16") int callers,
                        @QueryParam("seconds") @DefaultValue("10") int seconds,
                        @QueryParam("warmupSeconds") @DefaultValue("3") int warmupSeconds,
                        @QueryParam("valueBytes") @DefaultValue("100") int valueBytes) throws Exception {
        if (callers < 1 || callers > MAX_CALLERS || seconds < 1 || seconds > 300 || warmupSeconds < 0
                || valueBytes < 0 || valueBytes > 1 << 20) {
            return Response.status(400).entity("{\"error\":\"callers 1-" + MAX_CALLERS
                    + ", seconds 1-300, warmupSeconds >= 0, valueBytes 0-1048576\"}").build();
        }
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');
        Workload workload = switch (via) {
            case "adapter" -> Workloads.adapter(op, store, transactions, value);
            case "gateway" -> Workloads.gateway(op, value);
            default -> throw new IllegalArgumentException("via must be adapter or gateway");
        };
        ExecutorService executor = Executors.newFixedThreadPool(callers, threads);
        LoadResult r;
        try {
            r = new LoadRunner(executor).run(workload, callers, warmupSeconds * 1000L, seconds * 1000L);
        } finally {
            executor.shutdownNow();
        }
        String json = "{\"via\":\"" + via + "\",\"op\":\"" + op + "\",\"callers\":" + callers + ",\"result\":"
                + r.toJson() + "}";
        return Response.ok(json).build();
    }
}
