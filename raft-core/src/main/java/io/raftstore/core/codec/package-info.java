/**
 * RaftStore's own compact binary encoding of messages and log payloads (no Java serialization).
 * Decoders reject truncated or malformed input with {@link io.raftstore.core.codec.CodecException}.
 */
package io.raftstore.core.codec;
