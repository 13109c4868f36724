package dev.triggerlayer.registry.grant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/**
 * @param tenantId      the granting tenant (owner of the workspace)
 * @param granteeUserId a user of another tenant
 * @param nodeIds       the HTTP trigger nodes the grant covers (triggers and reads of their instances)
 * @param allNodes      true to cover every node of the workspace instead; exactly one of the two is given
 * @param expiresAt     when the grant stops working; must be in the future
 */
public record GrantInput(
        @NotNull @Positive Long tenantId,
        @NotNull @Positive Long workspaceId,
        @NotNull @Positive Long granteeUserId,
        @Size(max = 100) List<@NotNull @Positive Long> nodeIds,
        Boolean allNodes,
        @NotNull Instant expiresAt) {
}
