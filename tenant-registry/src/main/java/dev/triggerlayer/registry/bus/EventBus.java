package dev.triggerlayer.registry.bus;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** An event bus of a tenant in a region; events carry its name as {@code aliyuneventbusname}. */
@Entity
@Table(name = "event_bus")
@IdClass(EventBus.Key.class)
public class EventBus extends PanacheEntityBase {

    public record Key(Long tenantId, String name) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public Long tenantId;

    @Id
    public String name;

    @Column(name = "region_id", nullable = false)
    public String regionId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
