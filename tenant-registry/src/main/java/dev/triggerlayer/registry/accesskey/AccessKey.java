package dev.triggerlayer.registry.accesskey;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An AccessKey. The secret exists here only sealed (AES-GCM) under {@link #secretKeyId}. */
@Entity
@Table(name = "access_key")
public class AccessKey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public Long tenantId;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "secret_ciphertext", nullable = false)
    public byte[] secretCiphertext;

    @Column(name = "secret_key_id", nullable = false)
    public String secretKeyId;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Override
    public String toString() {
        // Never print the sealed secret, not even in debug logs.
        return "AccessKey[" + id + ", user " + userId + (enabled ? ", enabled]" : ", disabled]");
    }
}
