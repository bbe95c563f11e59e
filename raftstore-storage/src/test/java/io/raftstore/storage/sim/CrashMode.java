package io.raftstore.storage.sim;

/** What a crash does to the bytes written since the last fsync ({@link SimDisk#crash}). */
public enum CrashMode {
    /** (a) Every unsynced write is lost; the files hold what their last fsync covered. */
    LOSE_UNSYNCED,
    /** (b) Every unsynced write reached the disk except the last one of each file, which only partly did. */
    TEAR_LAST_WRITE,
    /** (c) The page cache wrote back some unsynced pages and not others, in no order: each page whole or not at all. */
    REORDER_PAGES,
    /** All of these at once: each unsynced page written back, lost or torn. */
    ANY
}
