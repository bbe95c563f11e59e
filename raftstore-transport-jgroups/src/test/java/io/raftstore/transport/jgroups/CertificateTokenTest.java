package io.raftstore.transport.jgroups;

import io.raftstore.transport.security.TestPki;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.util.ByteArrayDataInputStream;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.NameCache;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a coordinator decides about a join or merge request's token, as it reads it off the wire. */
class CertificateTokenTest {

    private final TestPki pki = TestPki.authority("token-test");
    /** The coordinator's token, which checks the others. */
    private final CertificateToken coordinator = new CertificateToken(pki.credentials("c"));

    /** The token node {@code id} at {@code address} sends, as the coordinator reads it. */
    private CertificateToken sent(String id, UUID address) throws Exception {
        return sent(new CertificateToken(pki.credentials(id)), address);
    }

    private static CertificateToken sent(CertificateToken token, UUID address) throws Exception {
        new ClusterAuth(token).setAddress(address);
        ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(token.size());
        token.writeTo(out);
        CertificateToken received = new CertificateToken();
        received.readFrom(new ByteArrayDataInputStream(out.buffer(), 0, out.position()));
        return received;
    }

    private static Message from(UUID address) {
        return new EmptyMessage().setSrc(address);
    }

    @Test
    void aJoinerWhoseNameIsNotKnownHereYetIsAdmittedByItsSignedTokenAndNamedByIt() throws Exception {
        UUID address = UUID.randomUUID();
        assertTrue(coordinator.authenticate(sent("a", address), from(address)), coordinator.lastRefusal());
        assertEquals("a", NameCache.get(address));
    }

    @Test
    void aJoinerKnownHereUnderItsOwnNameIsAdmitted() throws Exception {
        UUID address = UUID.randomUUID();
        NameCache.add(address, "a");
        assertTrue(coordinator.authenticate(sent("a", address), from(address)), coordinator.lastRefusal());
    }

    @Test
    void aTokenFromAnotherAddressIsRefused() throws Exception {
        UUID address = UUID.randomUUID();
        UUID replayedFrom = UUID.randomUUID();
        assertFalse(coordinator.authenticate(sent("a", address), from(replayedFrom)));
        assertTrue(coordinator.lastRefusal().contains("arrived from"), coordinator.lastRefusal());
    }

    @Test
    void aTokenWhoseNameDiffersFromTheSendersKnownNameIsRefused() throws Exception {
        UUID address = UUID.randomUUID();
        NameCache.add(address, "b");
        assertFalse(coordinator.authenticate(sent("a", address), from(address)));
        assertEquals("b", NameCache.get(address), "a refusal renames nobody");
    }

    @Test
    void aTokenFromAnotherAuthorityIsRefused() throws Exception {
        UUID address = UUID.randomUUID();
        CertificateToken stranger = sent(new CertificateToken(TestPki.authority("other-ca").credentials("a")), address);
        assertFalse(coordinator.authenticate(stranger, from(address)));
        assertNull(NameCache.get(address), "nothing learnt from a refused token");
    }
}
