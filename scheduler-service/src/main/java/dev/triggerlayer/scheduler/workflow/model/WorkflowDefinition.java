package dev.triggerlayer.scheduler.workflow.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A workflow: a DAG of nodes in one workspace and environment.
 *
 * @param id       generated when absent; ignored on update
 * @param timeZone zone of the cron expressions and business dates; the tenant's zone, {@code Asia/Shanghai} when absent
 */
public record WorkflowDefinition(
        @Positive Long id,
        @NotNull @Positive Long tenantId,
        @NotNull @Positive Long workspaceId,
        @NotNull Env env,
        @NotBlank @Size(max = 128) @Pattern(regexp = "[\\p{L}\\p{N}_.\\-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @NotBlank @Size(max = 64) String owner,
        @Size(max = 64) String timeZone,
        @NotNull @Size(min = 1, max = 500) List<@NotNull @Valid NodeDefinition> nodes) {
}
