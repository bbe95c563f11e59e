package io.raftstore.api.spi;

import io.raftstore.api.InvalidKeyException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRulesTest {

    @Test
    void acceptsOrdinaryAndMultilingualKeys() {
        assertDoesNotThrow(() -> KeyRules.validate("accounts/alice"));
        assertDoesNotThrow(() -> KeyRules.validate("clé/ключ/\uD83D\uDE00"));
        assertDoesNotThrow(() -> KeyRules.validate("x".repeat(1024)));
    }

    @Test
    void rejectsEmptyNullLongControlAndBrokenUnicode() {
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate(""));
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate(null));
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate("x".repeat(1025)));
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate("é".repeat(513)));
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate("a\nb"));
        assertThrows(InvalidKeyException.class, () -> KeyRules.validate("a\uD800b"));
    }

    @Test
    void messageSaysWhatIsWrongAndWhatKeysMayBe() {
        InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> KeyRules.validate("a\tb"));
        assertTrue(e.getMessage().contains("U+0009"), e.getMessage());
        assertTrue(e.getMessage().contains("1-1024 bytes"), e.getMessage());
    }
}
