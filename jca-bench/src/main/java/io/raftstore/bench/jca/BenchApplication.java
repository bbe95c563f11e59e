package io.raftstore.bench.jca;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The benchmark's single resource lives under /api. */
@ApplicationPath("api")
public class BenchApplication extends Application {
}
