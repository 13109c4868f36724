package dev.triggerlayer.registry;

import dev.triggerlayer.registry.config.RegistryConfig;
import dev.triggerlayer.registry.crypto.SecretSealer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pure unit test of sealing and key rotation (no servers needed). */
class SecretSealerTest {

    static final String K1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String K2 = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

    static RegistryConfig.KeyRing ring(String active, Map<String, String> keys) {
        return new RegistryConfig.KeyRing() {
            public String active() {
                return active;
            }

            public Map<String, String> keys() {
                return keys;
            }
        };
    }

    @Test
    void rotationKeepsOldValuesOpening() {
        SecretSealer before = new SecretSealer(ring("k1", Map.of("k1", K1)), "test");
        SecretSealer.Sealed old = before.seal("s3cret", "LTAIowner");
        SecretSealer after = new SecretSealer(ring("k2", Map.of("k1", K1, "k2", K2)), "test");
        assertEquals("s3cret", after.open(old, "LTAIowner"));
        SecretSealer.Sealed fresh = after.seal("s3cret", "LTAIowner");
        assertEquals("k2", fresh.keyId());
        assertNotEquals(new String(old.bytes()), new String(fresh.bytes()));
    }

    @Test
    void aSealedValueIsBoundToItsOwner() {
        SecretSealer sealer = new SecretSealer(ring("k1", Map.of("k1", K1)), "test");
        SecretSealer.Sealed sealed = sealer.seal("s3cret", "LTAIowner");
        assertThrows(IllegalStateException.class, () -> sealer.open(sealed, "LTAIother"));
    }

    @Test
    void misconfiguredRingsAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new SecretSealer(ring("k9", Map.of("k1", K1)), "test"));
        assertThrows(IllegalArgumentException.class, () -> new SecretSealer(ring("k1", Map.of("k1", "c2hvcnQ=")), "test"));
    }
}
