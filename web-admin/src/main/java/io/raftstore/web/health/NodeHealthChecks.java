package io.raftstore.web.health;

import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.NodeView;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** The three probes, each a small producer over the node's own view of itself. */
@ApplicationScoped
public class NodeHealthChecks {

    @EJB
    RaftStoreLocal node;

    @Produces
    @Startup
    HealthCheck started() {
        return () -> HealthCheckResponse.named("raftstore-started").status(node.started())
                .withData("failure", String.valueOf(node.startupFailure())).build();
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> HealthCheckResponse.named("raftstore-live").status(node.live()).build();
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            boolean ready = node.ready();
            var r = HealthCheckResponse.named("raftstore-ready").status(ready);
            if (node.started()) {
                NodeView s = node.status();
                r.withData("role", s.role().name()).withData("leaderId", String.valueOf(s.leaderId()))
                        .withData("commitIndex", s.commitIndex()).withData("lastApplied", s.appliedIndex());
            }
            return r.build();
        };
    }
}
