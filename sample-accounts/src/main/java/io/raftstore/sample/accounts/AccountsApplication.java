package io.raftstore.sample.accounts;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample's REST resources live under /api. */
@ApplicationPath("api")
public class AccountsApplication extends Application {
}
