package dev.triggerlayer.scheduler.dagrun.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A backfill (data catch-up), with reference 002's {@code backfill-data} parameters: the root node
 * and its workspace, further nodes of its workflow to include, nodes to dry-run instead
 * ({@code excludeNodeIds}), one or several business-date ranges, serial or parallel in groups,
 * ascending or descending dates, and whether future-dated instances start at once.
 *
 * @param projectId     the workspace the backfill happens in (defaults to the root node's; must be it)
 * @param parallelGroup with {@code isParallel}: how many dates run at once (1: all of them)
 * @param order         {@code asc} (default) or {@code desc}
 * @param clientToken   a retry with the same token returns the same backfill and creates nothing
 */
public record BackfillRequest(
        @NotBlank @Size(max = 128) @Pattern(regexp = "[\\p{L}\\p{N}_.\\-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @NotNull @Positive Long rootNodeId,
        @Positive Long rootNodeProjectId,
        @Positive Long projectId,
        @Size(max = 500) List<@NotNull @Positive Long> includeNodeIds,
        @Size(max = 500) List<@NotNull @Positive Long> excludeNodeIds,
        @NotNull @Size(min = 1, max = 20) List<@NotNull @Valid TimePeriod> multipleTimePeriods,
        Boolean isParallel,
        @Min(1) @Max(10) Integer parallelGroup,
        @Pattern(regexp = "asc|desc", message = "must be asc or desc") String order,
        Boolean startFutureInstanceImmediately,
        @Size(max = 64) String clientToken) {

    /** One business-date range, both ends included ({@code yyyy-MM-dd}). */
    public record TimePeriod(@NotBlank String bizBeginTime, @NotBlank String bizEndTime) {
    }
}
