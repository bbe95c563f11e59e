package io.raftstore.api.spi;

import io.raftstore.api.Versioned;

import java.util.List;

/** Keys a scan found, in key order; {@code more} when the limit cut the list short. */
public record ScanPage(List<Versioned> entries, boolean more) {
    public ScanPage {
        entries = List.copyOf(entries);
    }
}
