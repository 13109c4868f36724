package dev.triggerlayer.kit.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sealed-secret wire format against the vector pinned in contracts/registry-feed.md. */
class SealedSecretsTest {

    private static final Map<String, String> VECTOR = vector();

    @Test
    void sealsThePinnedVectorExactlyAndOpensIt() {
        SealedSecrets ring = SealedSecrets.ring("test", "f1", Map.of("f1", VECTOR.get("key")));
        SealedSecrets.Sealed sealed = ring.seal(VECTOR.get("secret"), VECTOR.get("associated data"),
                Base64.getDecoder().decode(VECTOR.get("IV")));
        assertEquals(VECTOR.get("sealed"), sealed.base64());
        assertEquals("f1", sealed.keyId());

        SealedSecrets reader = SealedSecrets.openOnly("gateway", Map.of("f1", VECTOR.get("key")));
        assertEquals(VECTOR.get("secret"), reader.tryOpenBase64("f1", VECTOR.get("sealed"), VECTOR.get("associated data")).orElseThrow());
    }

    @Test
    void aSealedValueOpensOnlyForItsOwnerWithItsKey() {
        SealedSecrets ring = SealedSecrets.ring("test", "k2", Map.of("k1", VECTOR.get("key"), "k2", key(7)));
        SealedSecrets.Sealed sealed = ring.seal("s3cret", "owner-a");
        assertEquals("s3cret", ring.open(sealed, "owner-a"));
        assertTrue(ring.tryOpen(sealed, "owner-b").isEmpty(), "moved to another owner");
        assertTrue(ring.tryOpen(new SealedSecrets.Sealed("k1", sealed.bytes()), "owner-a").isEmpty(), "labelled with another key");
        byte[] tampered = sealed.bytes().clone();
        tampered[tampered.length - 1] ^= 1;
        assertTrue(ring.tryOpen(new SealedSecrets.Sealed("k2", tampered), "owner-a").isEmpty(), "tampered");
        assertTrue(ring.tryOpenBase64("k2", "not base64!", "owner-a").isEmpty());
        assertThrows(IllegalStateException.class, () -> ring.open(new SealedSecrets.Sealed("gone", sealed.bytes()), "owner-a"));
        assertNotEquals(ring.seal("s3cret", "owner-a").base64(), ring.seal("s3cret", "owner-a").base64(), "a fresh IV each time");
    }

    @Test
    void aRingRefusesBadKeysAndAnOpenOnlyRingCannotSeal() {
        assertThrows(IllegalArgumentException.class, () -> SealedSecrets.ring("r", "k1", Map.of("k1", "c2hvcnQ=")));
        assertThrows(IllegalArgumentException.class, () -> SealedSecrets.ring("r", "k9", Map.of("k1", key(1))));
        assertThrows(IllegalStateException.class, () -> SealedSecrets.openOnly("r", Map.of("k1", key(1))).seal("x", "o"));
    }

    private static String key(int seed) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) seed);
        return Base64.getEncoder().encodeToString(k);
    }

    /** The table rows of the "Test vector (pinned)" section: first column's label → the value in backticks. */
    private static Map<String, String> vector() {
        try {
            String doc = Files.readString(Path.of("..", "contracts", "registry-feed.md"));
            String section = doc.substring(doc.indexOf("### Test vector (pinned)"));
            Map<String, String> rows = new HashMap<>();
            Matcher m = Pattern.compile("^\\| ([^|(]+?)(?: \\([^|]*\\))? \\| `([^`]+)` \\|$", Pattern.MULTILINE).matcher(section);
            while (m.find()) {
                rows.put(m.group(1).trim(), m.group(2));
            }
            for (String k : new String[] {"key", "IV", "associated data", "secret", "sealed"}) {
                if (!rows.containsKey(k)) {
                    throw new IllegalStateException("the pinned vector has no row '" + k + "': " + rows.keySet());
                }
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
