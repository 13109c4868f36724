package dev.triggerlayer.scheduler.instance.operation.model;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * An operator's request on task instances.
 *
 * @param instanceIds         the task instances (all or none are changed); exactly one for {@code delete-dependencies}
 * @param descendants         rerun only: also rerun every instance downstream of them
 * @param upstreamInstanceIds delete-dependencies only: the upstream instances to stop waiting for
 */
public record OperationRequest(
        @NotNull @Size(min = 1, max = 500) List<@NotNull @Positive Long> instanceIds,
        Boolean descendants,
        @Size(max = 100) List<@NotNull @Positive Long> upstreamInstanceIds) {
}
