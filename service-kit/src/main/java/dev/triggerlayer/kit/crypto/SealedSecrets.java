package dev.triggerlayer.kit.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Seals short secrets with AES-256-GCM under a key ring: a wire format between services
 * (contracts/registry-feed.md, with a pinned test vector). The sealed form is
 * {@code IV (12 bytes) || ciphertext || tag (16 bytes)}, stored as bytes or sent as base64; the
 * associated data is the owner's id (an AccessKey id, a subscription id), so a sealed value
 * moved to another owner's row or record does not open. Each sealed value names the key that
 * sealed it, so a ring can hold old keys while everything is re-sealed under a new active one.
 */
public final class SealedSecrets {

    /** A sealed value and the id of the key that sealed it. */
    public record Sealed(String keyId, byte[] bytes) {

        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        public static Sealed ofBase64(String keyId, String base64) {
            return new Sealed(keyId, Base64.getDecoder().decode(base64));
        }
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String ringName;
    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys = new TreeMap<>();

    private SealedSecrets(String ringName, String activeKeyId, Map<String, String> base64Keys) {
        this.ringName = ringName;
        base64Keys.forEach((id, b64) -> {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(b64.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ringName + " key " + id + " is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException(ringName + " key " + id + " must be 32 bytes (base64), got " + raw.length);
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (activeKeyId != null && !keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException(ringName + " active key " + activeKeyId + " is not in the key ring");
        }
        this.activeKeyId = activeKeyId;
    }

    /** A ring that seals under {@code activeKeyId} and opens with any of its keys. */
    public static SealedSecrets ring(String ringName, String activeKeyId, Map<String, String> base64Keys) {
        return new SealedSecrets(ringName, activeKeyId, base64Keys);
    }

    /** A ring that only opens (a reader of sealed values, such as a gateway). */
    public static SealedSecrets openOnly(String ringName, Map<String, String> base64Keys) {
        return new SealedSecrets(ringName, null, base64Keys);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public Sealed seal(String secret, String owner) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        return seal(secret, owner, iv);
    }

    /** Sealing with a given IV: for the pinned test vector only (an IV must never repeat under one key). */
    Sealed seal(String secret, String owner, byte[] iv) {
        if (activeKeyId == null) {
            throw new IllegalStateException(ringName + " has no active key: it can only open");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, ByteBuffer.allocate(IV_BYTES + ct.length).put(iv).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** The secret; fails when the key is not in the ring or the value does not open for this owner. */
    public String open(Sealed sealed, String owner) {
        return tryOpen(sealed, owner).orElseThrow(() -> new IllegalStateException(
                keys.containsKey(sealed.keyId()) ? "a sealed secret of " + owner + " does not open (tampered, or sealed for another owner)"
                        : "key " + sealed.keyId() + " is no longer in the " + ringName + " key ring"));
    }

    /** The secret, or empty when it cannot be opened (unknown key, tampered value, another owner). */
    public Optional<String> tryOpen(Sealed sealed, String owner) {
        SecretKeySpec key = sealed == null ? null : keys.get(sealed.keyId());
        if (key == null || sealed.bytes().length <= IV_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, IV_BYTES));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed.bytes(), IV_BYTES, sealed.bytes().length - IV_BYTES);
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** {@link #tryOpen} of a base64 value; empty also when it is not base64. */
    public Optional<String> tryOpenBase64(String keyId, String base64, String owner) {
        if (keyId == null || base64 == null) {
            return Optional.empty();
        }
        try {
            return tryOpen(Sealed.ofBase64(keyId, base64), owner);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
