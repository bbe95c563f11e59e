package io.raftstore.resp.command;

import io.raftstore.api.Versioned;
import io.raftstore.api.spi.Operation;
import io.raftstore.api.spi.Precondition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keys as one atomic batch sees them: every key read is read once from the store and remembered with its
 * version, writes are buffered and seen by later reads. {@link #conditions()} then requires every key read to
 * be still at that version, so the batch applies only if nothing it depended on changed.
 */
final class BatchView implements KeyView {

    private final Function<String, Optional<Versioned>> reader;
    private final int maxValueBytes;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** One key: the version read (0 absent; null when only written), its current value here (null absent). */
    private static final class Slot {
        Long readVersion;
        byte[] value;
        boolean written;
    }

    BatchView(Function<String, Optional<Versioned>> reader, int maxValueBytes) {
        this.reader = reader;
        this.maxValueBytes = maxValueBytes;
    }

    /** The version of a key as read from the store (0 absent), reading it if this batch has not yet. */
    long readVersion(String key) {
        Slot slot = slot(key);
        return slot.readVersion == null ? -1 : slot.readVersion;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(slot(key).value);
    }

    @Override
    public void put(String key, byte[] value) {
        if (value.length > maxValueBytes) {
            throw new CommandException("ERR a value of " + value.length + " bytes for key '" + key
                    + "' exceeds the store's limit of " + maxValueBytes + " bytes; nothing was written");
        }
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        slot.value = value;
        slot.written = true;
    }

    @Override
    public boolean delete(String key) {
        Slot slot = slot(key);
        boolean existed = slot.value != null;
        slot.value = null;
        slot.written |= existed;
        return existed;
    }

    @Override
    public long increment(String key, long delta) {
        long current = get(key).map(BatchView::counter).orElse(0L);
        long next;
        try {
            next = Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new CommandException(Errors.OVERFLOW);
        }
        put(key, Long.toString(next).getBytes(StandardCharsets.US_ASCII));
        return next;
    }

    /** The store's counters: decimal text, as the store's own increment reads them. */
    private static long counter(byte[] value) {
        return CommandCall.parseInteger(new String(value, StandardCharsets.US_ASCII));
    }

    /** A key's slot, read from the store the first time the batch needs its value. */
    private Slot slot(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            slot = new Slot();
            Optional<Versioned> read = reader.apply(key);
            slot.readVersion = read.map(Versioned::version).orElse(0L);
            slot.value = read.map(Versioned::value).orElse(null);
            slots.put(key, slot);
        }
        return slot;
    }

    /** Every key read, at the version read (or absent): the batch's conditions. */
    List<Precondition> conditions() {
        List<Precondition> out = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (slot.readVersion != null) {
                out.add(slot.readVersion == 0 ? new Precondition.Absent(key) : new Precondition.VersionEquals(key, slot.readVersion));
            }
        });
        return out;
    }

    /** The final state of every key written. */
    List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (slot.written) {
                out.add(slot.value == null ? new Operation.Delete(key, null) : new Operation.Put(key, slot.value));
            }
        });
        return out;
    }
}
