package dev.triggerlayer.registry.grant;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/**
 * @param tenantId      the granting tenant (owner of the workspace)
 * @param granteeUserId a user of another tenant
 * @param nodeIds       optional: only these HTTP trigger nodes; empty or absent for all of the workspace
 * @param expiresAt     when the grant stops working; must be in the future
 */
public record GrantInput(
        @NotNull @Positive Long tenantId,
        @NotNull @Positive Long workspaceId,
        @NotNull @Positive Long granteeUserId,
        @Size(max = 100) List<@NotNull @Positive Long> nodeIds,
        @NotNull Instant expiresAt) {
}
