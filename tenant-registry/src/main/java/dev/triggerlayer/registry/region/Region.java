package dev.triggerlayer.registry.region;

import dev.triggerlayer.registry.persistence.CommaListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A region: where a client points its SDK, and which gateway answers there. */
@Entity
@Table(name = "region")
public class Region extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "endpoint_host", nullable = false)
    public String endpointHost;

    @Column(name = "gateway_url", nullable = false)
    public String gatewayUrl;

    @Convert(converter = CommaListConverter.class)
    @Column(name = "event_buses", nullable = false)
    public List<String> eventBuses;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
