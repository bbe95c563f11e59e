package io.raftstore.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/** What a node runs at start so that its first leadership transfer does not run cold code. */
class TransferRehearsalTest {

    @Test
    void theFramesOfATransferEncodeAndDecode() {
        // A failure here would only be logged at start, and the first real transfer would run cold again.
        assertDoesNotThrow(NodeDriver::rehearseTransferFrames);
    }
}
