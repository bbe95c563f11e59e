package io.raftstore.storage.wal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ring of entry positions against a plain list: growing, shifting, dropping and truncating. */
class EntryPositionsTest {

    @Test
    void agreesWithAListThroughRandomAppendsTruncationsAndCompactions() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            EntryPositions p = new EntryPositions();
            long first = 1; // model: entries first..first+model.size()-1, each {term, seq, offset, length}
            List<long[]> model = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                int op = random.nextInt(10);
                long last = first + model.size() - 1;
                if (op < 6) { // append a run, maybe over a conflicting suffix
                    long from = model.isEmpty() ? first : first + random.nextInt(model.size() + 1);
                    if (random.nextInt(4) != 0) {
                        from = last + 1;
                    }
                    p.truncateFrom(from);
                    while (first + model.size() > from) {
                        model.remove(model.size() - 1);
                    }
                    int n = 1 + random.nextInt(random.nextInt(8) == 0 ? 3000 : 40);
                    for (int i = 0; i < n; i++) {
                        long index = from + i;
                        long[] e = {random.nextInt(9) + 1, random.nextInt(5), random.nextInt(1 << 20), random.nextInt(999)};
                        if (model.isEmpty()) {
                            first = index;
                        }
                        p.add(index, e[0], e[1], e[2], (int) e[3]);
                        model.add(e);
                    }
                } else if (op < 9) { // compact to some held index (or the whole run)
                    if (model.isEmpty()) {
                        continue;
                    }
                    long through = first - 1 + random.nextInt(model.size() + 1);
                    p.dropThrough(through);
                    int n = (int) (through - first + 1);
                    model.subList(0, n).clear();
                    first = through + 1;
                } else { // reset after some later index
                    long after = last + random.nextInt(100);
                    p.restartAfter(after);
                    model.clear();
                    first = after + 1;
                }
                assertEquals(model.size(), p.count(), "seed " + seed + " step " + step);
                if (!model.isEmpty()) {
                    assertEquals(first, p.first(), "seed " + seed + " step " + step);
                    assertEquals(first + model.size() - 1, p.last(), "seed " + seed + " step " + step);
                    for (int i = 0; i < model.size(); i += 1 + random.nextInt(7)) {
                        long[] e = model.get(i);
                        long index = first + i;
                        String at = "seed " + seed + " step " + step + " index " + index;
                        assertEquals(e[0], p.term(index), at);
                        assertEquals(e[1], p.seq(index), at);
                        assertEquals(e[2], p.offset(index), at);
                        assertEquals(e[3], p.length(index), at);
                    }
                    assertTrue(p.holds(first) && p.holds(first + model.size() - 1));
                    assertFalse(p.holds(first - 1) || p.holds(first + model.size()));
                }
            }
        }
    }

    @Test
    void placingFixesOnlyUnplacedEntries() {
        EntryPositions p = new EntryPositions();
        p.add(5, 1, 3, 100, 10);
        p.add(6, 1, EntryPositions.UNPLACED, 0, 10);
        p.add(7, 1, EntryPositions.UNPLACED, 10, 10);
        for (long i = 5; i <= 7; i++) {
            p.place(i, 4, 500);
        }
        assertEquals(3, p.seq(5));
        assertEquals(100, p.offset(5));
        assertEquals(4, p.seq(6));
        assertEquals(500, p.offset(6));
        assertEquals(510, p.offset(7));
    }
}
