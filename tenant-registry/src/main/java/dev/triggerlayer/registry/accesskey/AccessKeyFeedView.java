package dev.triggerlayer.registry.accesskey;

import java.time.Instant;

/**
 * An AccessKey on the change feed. Gateways need the secret to verify signatures, so it travels
 * sealed under the feed key ring (shared only with gateways), bound to the key id.
 *
 * @param secretKeyId  the feed key that sealed {@code sealedSecret}
 * @param sealedSecret base64 of IV || AES-GCM ciphertext and tag, associated data = accessKeyId
 */
public record AccessKeyFeedView(String accessKeyId, long tenantId, long userId, boolean enabled,
                                Instant createdAt, Instant updatedAt, String secretKeyId, String sealedSecret) {
}
