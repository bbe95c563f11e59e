package io.raftstore.arquillian.member;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import io.raftstore.api.Versioned;
import io.raftstore.arquillian.app.ServerHttp;
import io.raftstore.arquillian.app.TestTransactions;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.RollbackException;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store from inside a server that is one member of a real three-node cluster: n1 and n2 run under
 * {@code ./cluster}, this server joined them as n3 (added and promoted through the REST API, as an operator
 * adds a node). A transaction committed here is on every node; a transaction whose leader is killed between
 * its writes and its commit is either all there or not there at all, on every node that survives.
 */
@ExtendWith(ArquillianExtension.class)
// Only against the member server (both JVMs have the property): -Dit.test selects across both suites.
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "liberty-member")
class ClusterMemberIT {

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "member.war")
                .addClasses(MemberCluster.class, ServerHttp.class, ServerHttp.Reply.class, TestTransactions.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Inject
    UserTransaction tx;

    @Resource(lookup = "eis/raftstore")
    StoreConnectionFactory store;

    @BeforeEach
    void aVoterOfTheCluster() throws Exception {
        MemberCluster.ensureVoter();
    }

    @AfterEach
    void noTransactionLeftOpen() throws Exception {
        TestTransactions.rollbackIfOpen(tx);
    }

    private static String prefix() {
        return TestTransactions.uniquePrefix("member");
    }

    @Test
    void thisServerIsAVotingMemberOfThreeNodes() throws Exception {
        JsonObject status = MemberCluster.status(3);
        assertEquals("n3", status.getString("nodeId"));
        List<JsonObject> members = MemberCluster.status(MemberCluster.number(MemberCluster.leader()))
                .getJsonArray("members").stream().map(JsonValue::asJsonObject).toList();
        assertEquals(List.of("n1", "n2", "n3"), members.stream().map(m -> m.getString("id")).sorted().toList());
        assertTrue(members.stream().allMatch(m -> m.getBoolean("voter")), "three voters: " + members);
    }

    @Test
    void aTransactionCommittedHereIsOnEveryNode() throws Exception {
        String p = prefix();
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            c.put(p + "a", "1");
            c.put(p + "b", "2");
        }
        tx.commit();
        for (int node = 1; node <= 3; node++) {
            assertEquals(Optional.of("1"), MemberCluster.read(node, p + "a"), "a on n" + node);
            assertEquals(Optional.of("2"), MemberCluster.read(node, p + "b"), "b on n" + node);
        }
        try (StoreConnection c = store.getConnection()) {
            Versioned a = c.get(p + "a").orElseThrow();
            assertEquals(a.version(), c.get(p + "b").orElseThrow().version(), "one log position");
        }
    }

    /**
     * The leader (n1 or n2, never this server) is killed after the transaction's writes and before its commit:
     * the survivors elect a new leader and the commit goes there. Whatever the commit answers, the transaction
     * is all or nothing on both survivors, and a commit that answered success is on them.
     */
    @Test
    void aTransactionOutlivesItsLeaderBeingKilled() throws Exception {
        MemberCluster.leaderNotSelf();
        int killed = MemberCluster.number(MemberCluster.leader());
        int survivor = 3 - killed; // the other one of n1 and n2
        String p = prefix();
        boolean committed;
        tx.begin();
        try (StoreConnection c = store.getConnection()) {
            c.put(p + "a", "1");
            c.put(p + "b", "2");
        }
        MemberCluster.cluster("kill", Integer.toString(killed));
        try {
            try {
                tx.commit();
                committed = true;
            } catch (RollbackException e) {
                committed = false; // allowed: a clean rollback; what matters is that nothing is half there
            }
            for (int node : new int[] {3, survivor}) {
                Optional<String> a = MemberCluster.read(node, p + "a");
                Optional<String> b = MemberCluster.read(node, p + "b");
                assertEquals(a.isPresent(), b.isPresent(), "all or nothing on n" + node + ": a=" + a + " b=" + b);
                assertEquals(committed, a.isPresent(), "the commit's answer (committed=" + committed + ") on n" + node);
            }
            assertTrue(committed, "a commit with a quorum left (n3 and n" + survivor + ") succeeds after the election");
        } finally {
            MemberCluster.cluster("restart", Integer.toString(killed));
        }
        assertEquals(Optional.of("1"), MemberCluster.read(killed, p + "a"), "the restarted node caught up");
    }
}
