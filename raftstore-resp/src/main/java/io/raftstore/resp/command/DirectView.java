package io.raftstore.resp.command;

import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.OperationResult;
import io.raftstore.api.spi.StoreGateway;

import java.util.Optional;

/** Each key operation is one store call: for commands whose every operation stands alone (GET, plain SET, INCR). */
final class DirectView implements KeyView {

    private final StoreGateway gateway;
    private final ClientSession session;

    DirectView(StoreGateway gateway, ClientSession session) {
        this.gateway = gateway;
        this.session = session;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return gateway.read(key, session.readConsistency()).map(Versioned::value);
    }

    @Override
    public void put(String key, byte[] value) {
        session.writer().execute(new Operation.Put(key, value));
    }

    @Override
    public boolean delete(String key) {
        return ((OperationResult.Deleted) session.writer().execute(new Operation.Delete(key, null))).existed();
    }

    /** The store's own increment: atomic in the log, so concurrent INCRs never conflict. */
    @Override
    public long increment(String key, long delta) {
        return ((OperationResult.Counted) session.writer().execute(new Operation.Increment(key, delta))).value();
    }
}
