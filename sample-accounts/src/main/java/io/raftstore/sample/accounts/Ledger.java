package io.raftstore.sample.accounts;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.Versioned;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts' rules over one connection, free of the container so they can be tested: balances are
 * decimal numbers under {@code accounts/<name>}, never negative. Inside a transaction the reads here become
 * conditions of the commit, so two transfers that read the same balance cannot both commit.
 */
final class Ledger {

    static final String PREFIX = "accounts/";
    static final String NOTES = "notes/";
    static final int MAX_ACCOUNTS = 1000;

    private final StoreConnection store;

    Ledger(StoreConnection store) {
        this.store = store;
    }

    /** Creates an account; fails with ConditionFailedException when it already exists. */
    void open(String name, long balance) {
        requireName(name);
        if (balance < 0) {
            throw new IllegalArgumentException("an opening balance cannot be negative: " + balance);
        }
        store.putIfAbsent(PREFIX + name, Long.toString(balance));
    }

    void transfer(String from, String to, long amount) {
        transfer(from, to, amount, () -> { });
    }

    /** {@code betweenReadAndWrite} runs after the balances are read: the demonstration's pause. */
    void transfer(String from, String to, long amount, Runnable betweenReadAndWrite) {
        requireName(from);
        requireName(to);
        if (from.equals(to) || amount <= 0) {
            throw new IllegalArgumentException("a transfer needs two different accounts and a positive amount");
        }
        long fromBalance = balance(from);
        long toBalance = balance(to);
        if (fromBalance < amount) {
            throw new InsufficientFundsException(from, fromBalance, amount);
        }
        betweenReadAndWrite.run();
        store.put(PREFIX + from, Long.toString(fromBalance - amount));
        store.put(PREFIX + to, Long.toString(toBalance + amount));
    }

    /** Attaches a free-text note to an existing account (the store limits its size). */
    void note(String name, String text) {
        balance(name);
        store.put(NOTES + name, text);
    }

    Optional<String> note(String name) {
        requireName(name);
        return store.getString(NOTES + name);
    }

    long balance(String name) {
        return store.get(PREFIX + name).map(Versioned::asString).map(Long::parseLong)
                .orElseThrow(() -> new UnknownAccountException(name));
    }

    /** Every balance from one scan: one consistent state of the store. */
    Map<String, Long> balances() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Versioned v : store.scan(PREFIX, MAX_ACCOUNTS)) {
            out.put(v.key().substring(PREFIX.length()), Long.parseLong(v.asString()));
        }
        return out;
    }

    private static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("account names are 1-64 letters, digits, '_' or '-': " + name);
        }
    }
}
