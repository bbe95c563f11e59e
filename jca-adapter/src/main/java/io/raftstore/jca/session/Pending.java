package io.raftstore.jca.session;

/** A write buffered by a transaction: the key's value after commit, or its removal. */
sealed interface Pending {

    record Write(byte[] value) implements Pending {
    }

    record Remove() implements Pending {
    }
}
