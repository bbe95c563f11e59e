package io.raftstore.jca;

import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * A transaction branch's {@link Xid} as the store's prepared-transaction id and back:
 * {@code xa.<formatId>.<global id in hex>.<branch qualifier in hex>}. The id is all the store keeps, so
 * {@code recover()} after a restart rebuilds the very Xid the transaction manager logged. Ids of other
 * shapes (prepared through the SPI by something else) are not Xids and recovery leaves them alone.
 */
final class TransactionIds {
    private static final String PREFIX = "xa.";
    private static final HexFormat HEX = HexFormat.of();

    private TransactionIds() {
    }

    static String of(Xid xid) {
        return PREFIX + xid.getFormatId() + "." + HEX.formatHex(xid.getGlobalTransactionId()) + "."
                + HEX.formatHex(xid.getBranchQualifier());
    }

    /** The Xid of a prepared-transaction id, or null when the id is not one this adapter made. */
    static Xid parse(String id) {
        if (!id.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = id.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new StoreXid(Integer.parseInt(parts[0]), HEX.parseHex(parts[1]), HEX.parseHex(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An Xid rebuilt from its id; equal to any Xid of the same three parts. */
    record StoreXid(int formatId, byte[] globalId, byte[] branchQualifier) implements Xid {
        StoreXid {
            globalId = globalId.clone();
            branchQualifier = branchQualifier.clone();
        }

        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return globalId.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return branchQualifier.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Xid x && x.getFormatId() == formatId
                    && Arrays.equals(x.getGlobalTransactionId(), globalId)
                    && Arrays.equals(x.getBranchQualifier(), branchQualifier);
        }

        @Override
        public int hashCode() {
            return formatId * 31 * 31 + Arrays.hashCode(globalId) * 31 + Arrays.hashCode(branchQualifier);
        }

        @Override
        public String toString() {
            return of(this);
        }
    }
}
