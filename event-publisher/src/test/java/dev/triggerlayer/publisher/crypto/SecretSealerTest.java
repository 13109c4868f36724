package dev.triggerlayer.publisher.crypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretSealerTest {

    static final String K1 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String K2 = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    @Test
    void sealsAndOpensBoundToItsOwner() {
        SecretSealer sealer = new SecretSealer("k1", Map.of("k1", K1));
        SecretSealer.Sealed sealed = sealer.seal("whsec_abc", "subscription/1");
        assertEquals("k1", sealed.keyId());
        assertFalse(sealed.value().contains("whsec_abc"));
        assertEquals("whsec_abc", sealer.open(sealed, "subscription/1"));
        assertThrows(IllegalStateException.class, () -> sealer.open(sealed, "subscription/2"), "moved to another subscription");
    }

    @Test
    void oldKeysKeepOpeningAfterRotation() {
        SecretSealer before = new SecretSealer("k1", Map.of("k1", K1));
        SecretSealer.Sealed old = before.seal("whsec_old", "subscription/1");
        SecretSealer after = new SecretSealer("k2", Map.of("k1", K1, "k2", K2));
        assertEquals("whsec_old", after.open(old, "subscription/1"));
        assertEquals("k2", after.seal("whsec_new", "subscription/1").keyId());
        SecretSealer dropped = new SecretSealer("k2", Map.of("k2", K2));
        assertThrows(IllegalStateException.class, () -> dropped.open(old, "subscription/1"));
    }

    @Test
    void refusesABadRing() {
        assertThrows(IllegalArgumentException.class, () -> new SecretSealer("k9", Map.of("k1", K1)));
        assertThrows(IllegalArgumentException.class, () -> new SecretSealer("k1", Map.of("k1", Base64.getEncoder().encodeToString(new byte[16]))));
    }
}
