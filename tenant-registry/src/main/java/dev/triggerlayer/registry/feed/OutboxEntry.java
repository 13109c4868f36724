package dev.triggerlayer.registry.feed;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One pending record of a registry topic, written in the transaction of the change it describes. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "entity_ids")
    @SequenceGenerator(name = "entity_ids", sequenceName = "entity_id_seq", allocationSize = 1)
    public Long id;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    /** The topic the row goes to: the change feed, or another topic the registry owns. */
    @Column(nullable = false)
    public String topic;

    @Column(name = "record_key", nullable = false)
    public String recordKey;

    /** JSON of the entity's new state; null when it was deleted. */
    @Column(name = "payload")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** The W3C traceparent of the request that made the change, if it was traced. */
    @Column(name = "trace_parent")
    public String traceParent;
}
