package io.raftstore.web.console.keys;

/** One key of the browser's table. */
public record KeyRow(String key, long version, int size, String preview) {

    public String getKey() { return key; }
    public long getVersion() { return version; }
    public int getSize() { return size; }
    public String getPreview() { return preview; }
}
