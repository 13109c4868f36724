package dev.triggerlayer.scheduler.extension.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Another service's operation that a tenant-level extension point covers (today: the registry's
 * workspace deletion, {@code delete-project}). The scheduler holds the checks; the asking service
 * applies the operation once they passed and reports the outcome.
 */
public record HoldInput(
        @NotBlank @Pattern(regexp = "delete-project", message = "must be delete-project") String eventCode,
        @NotNull @Positive Long tenantId,
        @NotNull @Positive Long workspaceId,
        @NotBlank @Size(max = 128) String workspaceName,
        @NotBlank @Size(max = 64) String operator) {
}
