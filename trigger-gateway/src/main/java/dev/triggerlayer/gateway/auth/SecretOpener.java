package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens AccessKey secrets as the registry seals them on its change feed (contracts/registry-feed.md):
 * base64 of IV(12) || AES-256-GCM ciphertext+tag, associated data = the AccessKey id.
 */
@ApplicationScoped
public class SecretOpener {

    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    public SecretOpener(GatewayConfig config) {
        config.registryFeed().keys().forEach((id, b64) -> keys.put(id, new SecretKeySpec(Base64.getDecoder().decode(b64.trim()), "AES")));
    }

    /** The plaintext secret, or null when it cannot be opened (unknown key id, tampered value). */
    public String open(String accessKeyId, String keyId, String sealed) {
        SecretKeySpec key = keys.get(keyId);
        if (key == null || sealed == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
            cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
