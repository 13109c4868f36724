package dev.triggerlayer.scheduler.dagrun.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A manual run of a deployed workflow now, for one business date ({@code yyyy-MM-dd}): one
 * instance per node ({@code nodeIds}, default all its deployed nodes), started at once.
 */
public record ManualRunRequest(@NotNull @Positive Long workflowId, @NotBlank String bizDate,
                               @Size(max = 500) List<@NotNull @Positive Long> nodeIds, @Size(max = 64) String clientToken) {
}
