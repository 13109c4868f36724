package dev.triggerlayer.registry.grant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** Append-only record of every grant and revocation. */
@Entity
@Table(name = "grant_audit")
public class GrantAudit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_ids")
    @SequenceGenerator(name = "audit_ids", sequenceName = "entity_id_seq", allocationSize = 1)
    public Long id;

    @Column(name = "grant_id", nullable = false)
    public Long grantId;

    /** GRANTED or REVOKED. */
    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String operator;

    @Column(nullable = false)
    public Instant at;

    /** The grant as it stood after the action, as JSON. */
    @Column(nullable = false)
    public String detail;
}
