package io.raftstore.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Mounts the REST resources under /api. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
