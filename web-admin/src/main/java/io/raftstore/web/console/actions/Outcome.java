package io.raftstore.web.console.actions;

/** How an admin action ended, in words for the page and the audit list. */
public record Outcome(boolean ok, String message) {

    public static Outcome ok(String message) {
        return new Outcome(true, message);
    }

    public static Outcome failed(String message) {
        return new Outcome(false, message);
    }

    // Faces EL resolves bean properties, not record accessors.
    public boolean isOk() { return ok; }
    public String getMessage() { return message; }
}
