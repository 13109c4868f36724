package dev.triggerlayer.kit.crypto;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Key rotation of a ring (moved from the registry, whose sealer this was). */
class KeyRotationTest {

    static final String K1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String K2 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    @Test
    void rotationKeepsOldValuesOpening() {
        SealedSecrets before = SealedSecrets.ring("test", "k1", Map.of("k1", K1));
        SealedSecrets.Sealed old = before.seal("s3cret", "LTAIowner");
        SealedSecrets after = SealedSecrets.ring("test", "k2", Map.of("k1", K1, "k2", K2));
        assertEquals("s3cret", after.open(old, "LTAIowner"));
        SealedSecrets.Sealed fresh = after.seal("s3cret", "LTAIowner");
        assertEquals("k2", fresh.keyId());
        assertNotEquals(new String(old.bytes()), new String(fresh.bytes()));
    }

    @Test
    void aSealedValueIsBoundToItsOwner() {
        SealedSecrets sealer = SealedSecrets.ring("test", "k1", Map.of("k1", K1));
        SealedSecrets.Sealed sealed = sealer.seal("s3cret", "LTAIowner");
        assertThrows(IllegalStateException.class, () -> sealer.open(sealed, "LTAIother"));
    }

    @Test
    void misconfiguredRingsAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> SealedSecrets.ring("test", "k9", Map.of("k1", K1)));
        assertThrows(IllegalArgumentException.class, () -> SealedSecrets.ring("test", "k1", Map.of("k1", "c2hvcnQ=")));
    }
}
