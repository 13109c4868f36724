package dev.triggerlayer.registry.workspace;

import dev.triggerlayer.registry.persistence.CommaListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A workspace (project): its id is the {@code AppId}/{@code projectId} of the API and events. */
@Entity
@Table(name = "workspace")
public class Workspace extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "tenant_id", nullable = false)
    public Long tenantId;

    @Column(nullable = false)
    public String name;

    /** {@code Prod} and/or {@code Dev}. */
    @Convert(converter = CommaListConverter.class)
    @Column(nullable = false)
    public List<String> environments;

    /** Whether the workspace's instance changes are published as events. */
    @Column(name = "publish_events", nullable = false)
    public boolean publishEvents;

    /** The tenant's event bus that receives the workspace's events; null: the publisher's default bus. */
    @Column(name = "event_bus_name")
    public String eventBusName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
