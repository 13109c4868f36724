package dev.triggerlayer.publisher.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Seals the subscriptions' HMAC secrets with AES-256-GCM under a key ring. The sealed form is
 * base64 of {@code 12-byte IV || ciphertext+tag}; the associated data names the owning
 * subscription, so a sealed secret copied onto another subscription's row does not open.
 */
public final class SecretSealer {

    /** A sealed secret and the id of the key that sealed it. */
    public record Sealed(String keyId, String value) {
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(String activeKeyId, Map<String, String> base64Keys) {
        base64Keys.forEach((id, b64) -> {
            byte[] raw = Base64.getDecoder().decode(b64.trim());
            if (raw.length != 32) {
                throw new IllegalArgumentException("publisher.at-rest key " + id + " must be 32 bytes (base64), got " + raw.length);
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("publisher.at-rest.active names key " + activeKeyId + ", which is not in the key ring");
        }
        this.activeKeyId = activeKeyId;
    }

    public Sealed seal(String secret, String owner) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] all = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return new Sealed(activeKeyId, Base64.getEncoder().encodeToString(all));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    public String open(Sealed sealed, String owner) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("key " + sealed.keyId() + " is no longer in the publisher.at-rest key ring");
        }
        byte[] all = Base64.getDecoder().decode(sealed.value());
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening a sealed secret failed", e);
        }
    }
}
