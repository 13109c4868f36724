package dev.triggerlayer.registry.grant;

import dev.triggerlayer.registry.persistence.CommaListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/**
 * Tenant {@link #tenantId} lets a user of another tenant trigger the HTTP trigger nodes of one of
 * its workspaces ({@link #nodeIds}, or all of them when {@link #allNodes}) until {@link #expiresAt}.
 */
@Entity
@Table(name = "trigger_grant")
public class TriggerGrant extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "tenant_id", nullable = false)
    public Long tenantId;

    @Column(name = "workspace_id", nullable = false)
    public Long workspaceId;

    @Column(name = "grantee_tenant_id", nullable = false)
    public Long granteeTenantId;

    @Column(name = "grantee_user_id", nullable = false)
    public Long granteeUserId;

    /** The nodes covered; empty when {@link #allNodes}. */
    @Convert(converter = CommaListConverter.class)
    @Column(name = "node_ids", nullable = false)
    public List<String> nodeIds;

    /** Every HTTP trigger node of the workspace, present and future. */
    @Column(name = "all_nodes", nullable = false)
    public boolean allNodes;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;
}
