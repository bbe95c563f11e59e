package io.raftstore.web.console.keys;

import io.raftstore.api.ReadConsistency;
import io.raftstore.api.Versioned;
import io.raftstore.api.spi.ScanPage;
import io.raftstore.ejb.RaftStoreLocal;
import io.raftstore.ejb.view.WriteOutcome;
import io.raftstore.web.console.ConsoleUser;
import io.raftstore.web.service.changes.AuditLog;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Backs the key browser: prefix search with pages, one value as text or hex with its version, and put and
 * delete (admins only, each confirmed in the page). Reads are linearizable, like the REST default.
 *
 * <p>A scan has no start key, so page {@code p} reads the first {@code (p+1)*size+1} keys and shows the last
 * {@code size}: fine for browsing, and bounded by the store's scan limit.
 */
@Named("keys")
@ViewScoped
public class KeyBrowserBean implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int PAGE_SIZE = 20;

    @EJB
    RaftStoreLocal node;
    @Inject
    ConsoleUser user;
    @Inject
    AuditLog audit;

    private String prefix = "";
    private int page;
    private List<KeyRow> rows;
    private boolean more;

    private String selectedKey;
    private long selectedVersion;
    private byte[] selectedValue;
    private boolean hex;

    private String newKey = "";
    private String newValue = "";
    private boolean confirmingPut;
    private String pendingDelete;

    private String notice;
    private boolean noticeOk;

    public void search() {
        notice = null;
        page = 0;
        load();
    }

    public void next() {
        notice = null;
        if (more) {
            page++;
            load();
        }
    }

    public void previous() {
        notice = null;
        if (page > 0) {
            page--;
            load();
        }
    }

    private void load() {
        int limit = Math.min((page + 1) * PAGE_SIZE + 1, node.limits().maxScanLimit());
        try {
            ScanPage scan = node.scan(prefix, limit, ReadConsistency.LINEARIZABLE);
            List<Versioned> entries = scan.entries();
            int from = Math.min(page * PAGE_SIZE, entries.size());
            int to = Math.min(from + PAGE_SIZE, entries.size());
            rows = entries.subList(from, to).stream()
                    .map(v -> new KeyRow(v.key(), v.version(), v.value().length, ValueFormat.preview(v.value(), 60)))
                    .toList();
            more = entries.size() > to || scan.more() && to == entries.size() && limit < node.limits().maxScanLimit();
        } catch (RuntimeException e) {
            rows = List.of();
            more = false;
            fail("search failed: " + reason(e));
        }
    }

    public void open(String key) {
        notice = null;
        try {
            Versioned v = node.get(key, ReadConsistency.LINEARIZABLE).orElse(null);
            if (v != null) {
                selectedKey = v.key();
                selectedVersion = v.version();
                selectedValue = v.value();
                hex = ValueFormat.text(v.value()) == null;
            } else {
                selectedKey = null;
                fail("key '" + key + "' no longer exists");
            }
        } catch (RuntimeException e) {
            fail("read failed: " + reason(e));
        }
    }

    public void close() {
        notice = null;
        selectedKey = null;
        selectedValue = null;
    }

    public void askPut() {
        notice = null;
        user.requireAdmin();
        if (newKey == null || newKey.isBlank()) {
            fail("enter a key to write");
            return;
        }
        confirmingPut = true;
    }

    public void confirmPut() {
        user.requireAdmin();
        confirmingPut = false;
        String what = "put key '" + newKey + "' (" + newValue.getBytes(StandardCharsets.UTF_8).length + " bytes)";
        try {
            WriteOutcome r = node.put(newKey, newValue.getBytes(StandardCharsets.UTF_8), null, 0, 0);
            if (r instanceof WriteOutcome.Written w) {
                succeed(what, (w.created() ? "created" : "updated") + " '" + newKey + "', version " + w.version());
                load();
                open(newKey);
            } else {
                failAudited(what, "refused: " + r);
            }
        } catch (RuntimeException e) {
            failAudited(what, "not acknowledged: " + reason(e));
        }
    }

    public void askDelete(String key) {
        notice = null;
        user.requireAdmin();
        pendingDelete = key;
    }

    public void confirmDelete() {
        user.requireAdmin();
        String key = pendingDelete;
        pendingDelete = null;
        if (key == null) {
            return;
        }
        String what = "delete key '" + key + "'";
        try {
            WriteOutcome r = node.delete(key, null, 0, 0);
            if (r instanceof WriteOutcome.Deleted d && d.existed()) {
                succeed(what, "deleted '" + key + "'");
                if (key.equals(selectedKey)) {
                    selectedKey = null;
                    selectedValue = null;
                }
            } else {
                failAudited(what, "'" + key + "' did not exist");
            }
            load();
        } catch (RuntimeException e) {
            failAudited(what, "not acknowledged: " + reason(e));
        }
    }

    public void cancel() {
        notice = null;
        confirmingPut = false;
        pendingDelete = null;
    }

    private void succeed(String what, String message) {
        audit.record(user.getName(), what, true, message);
        notice = message;
        noticeOk = true;
    }

    private void failAudited(String what, String message) {
        audit.record(user.getName(), what, false, message);
        fail(message);
    }

    private void fail(String message) {
        notice = message;
        noticeOk = false;
    }

    /** The store's own message, from under the container's wrapper. */
    private static String reason(RuntimeException e) {
        Throwable t = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public List<KeyRow> getRows() {
        if (rows == null) {
            load();
        }
        return rows;
    }

    public String getSelectedText() {
        return selectedValue == null ? null : ValueFormat.text(selectedValue);
    }

    public String getSelectedHex() {
        return selectedValue == null ? null : ValueFormat.hex(selectedValue);
    }

    public int getSelectedSize() {
        return selectedValue == null ? 0 : selectedValue.length;
    }

    /** The outcome of the last action; cleared when the next one starts. */
    public String getNotice() {
        return notice;
    }

    public boolean isNoticeOk() { return noticeOk; }
    public boolean isMore() { return more; }
    public int getPage() { return page; }
    public int getPageSize() { return PAGE_SIZE; }
    public String getPrefix() { return prefix; }
    public void setPrefix(String prefix) { this.prefix = prefix == null ? "" : prefix; }
    public String getSelectedKey() { return selectedKey; }
    public long getSelectedVersion() { return selectedVersion; }
    public boolean isHex() { return hex; }
    public void setHex(boolean hex) { this.hex = hex; }
    public String getNewKey() { return newKey; }
    public void setNewKey(String newKey) { this.newKey = newKey == null ? "" : newKey; }
    public String getNewValue() { return newValue; }
    public void setNewValue(String newValue) { this.newValue = newValue == null ? "" : newValue; }
    public boolean isConfirmingPut() { return confirmingPut; }
    public String getPendingDelete() { return pendingDelete; }
}
