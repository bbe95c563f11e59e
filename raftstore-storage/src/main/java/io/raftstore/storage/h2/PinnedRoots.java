package io.raftstore.storage.h2;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RootReference;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable roots of some maps captured at one moment, plus a version pin that stops H2 from reusing the
 * space of the pages they reference. MVStore maps are copy-on-write, so reading through these roots sees
 * exactly the captured state however the live maps change.
 */
public final class PinnedRoots implements AutoCloseable {
    private final MVStore store;
    private final MVStore.TxCounter pin;
    private final List<MVMap<?, ?>> maps = new ArrayList<>();
    private final List<RootReference<?, ?>> roots = new ArrayList<>();

    PinnedRoots(MVStore store, MVMap<?, ?>... captured) {
        this.store = store;
        this.pin = store.registerVersionUsage();
        for (MVMap<?, ?> map : captured) {
            maps.add(map);
            roots.add(map.flushAndGetRoot());
        }
    }

    /** Iterates the captured state of {@code map} from {@code from} (inclusive, null for the start). */
    @SuppressWarnings("unchecked")
    public <K, V> Cursor<K, V> cursor(MVMap<K, V> map, K from) {
        int i = maps.indexOf(map);
        if (i < 0) {
            throw new IllegalArgumentException("map " + map.getName() + " was not captured");
        }
        return map.cursor((RootReference<K, V>) roots.get(i), from, null, false);
    }

    /** The captured value of {@code key} in {@code map}, or null. */
    public <K, V> V get(MVMap<K, V> map, K key) {
        Cursor<K, V> c = cursor(map, key);
        if (c.hasNext() && map.getKeyType().compare(c.next(), key) == 0) {
            return c.getValue();
        }
        return null;
    }

    @Override
    public void close() {
        store.deregisterVersionUsage(pin);
    }
}
