package dev.triggerlayer.registry.accesskey;

import java.time.Instant;

/** The answer to creating or rotating a key: the only time the secret is shown. */
public record NewAccessKey(String accessKeyId, String accessKeySecret, long tenantId, long userId, boolean enabled,
                           Instant createdAt) {

    @Override
    public String toString() {
        return "NewAccessKey[" + accessKeyId + "]";
    }
}
