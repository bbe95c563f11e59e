package io.raftstore.arquillian;

import io.raftstore.arquillian.app.Transfers;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archives the tests deploy: an application of its own (the app package, a CDI bean archive) that
 * packages neither the RaftStore API nor anything else the server provides. Arquillian adds the test class.
 */
final class Deployments {

    private Deployments() {
    }

    static WebArchive application(String name) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackage(Transfers.class.getPackage())
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}
