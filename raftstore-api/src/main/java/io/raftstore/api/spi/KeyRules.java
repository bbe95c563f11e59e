package io.raftstore.api.spi;

import io.raftstore.api.InvalidKeyException;

import java.nio.charset.StandardCharsets;

/**
 * The store's key rules: 1–1024 bytes of UTF-8, no control characters, no lone surrogates (they have no
 * UTF-8 form and would silently become '?'). The node applies the same rules; a test in ejb-raft checks
 * that both agree.
 */
public final class KeyRules {

    public static final int MAX_KEY_BYTES = 1024;

    private KeyRules() {
    }

    /** @throws InvalidKeyException saying which rule the key breaks */
    public static void validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("the key is " + (key == null ? "null" : "empty"));
        }
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (Character.isISOControl(ch)) {
                throw new InvalidKeyException("'" + printable(key) + "' holds control character U+"
                        + String.format("%04X", (int) ch) + " at position " + i);
            }
            if (Character.isHighSurrogate(ch) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new InvalidKeyException("'" + printable(key) + "' is not valid Unicode at position " + i);
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidKeyException("a key of " + bytes + " UTF-8 bytes is longer than " + MAX_KEY_BYTES);
        }
    }

    /** The key shortened and with control characters replaced, fit for a message. */
    public static String printable(String key) {
        String k = key.length() <= 40 ? key : key.substring(0, 40) + "...";
        return k.replaceAll("\\p{Cntrl}", "?");
    }
}
