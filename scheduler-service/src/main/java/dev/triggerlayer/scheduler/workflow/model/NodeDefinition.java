package dev.triggerlayer.scheduler.workflow.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of a workflow.
 *
 * @param id                 the node id ({@code TaskId} of the API, {@code nodeId} of events); generated when absent
 * @param script             the shell script (SHELL only, at most 64 KiB)
 * @param cron               six-field cron in the workspace's time zone, e.g. {@code 00 30 05 * * ?}
 * @param schedulerType      defaults to NORMAL
 * @param priority           1, 3, 5, 7 or 8 (8 is the highest); defaults to 1
 * @param resourceGroup      defaults to {@code default}
 * @param rerunMode          defaults to ALL_ALLOWED
 * @param instanceGeneration defaults to T_PLUS_1
 * @param upstream           ids of upstream nodes of the same workflow; empty means the workflow's root
 * @param retries            automatic reruns after a failed run (0–10, SHELL only); defaults to 0
 * @param retryIntervalSeconds wait before an automatic rerun (1–1800 s); defaults to 60
 * @param timeoutSeconds     time limit of one run (1 s – 72 h); defaults to the scheduler's {@code scheduler.runner.default-timeout}
 * @param lostRetries        extra runs after a run lost with its replica (0–10), on top of {@code retries}; defaults to
 *                           {@code scheduler.runner.lost-retries} (1)
 * @param parameters         passed to the script as environment variables (names {@code [A-Za-z_][A-Za-z0-9_]*}), never spliced into its text
 */
public record NodeDefinition(
        @Positive Long id,
        @NotBlank @Size(max = 128) @Pattern(regexp = "[\\p{L}\\p{N}_.\\-]+", message = "may contain letters, digits, '_', '.', '-'") String name,
        @NotNull NodeType type,
        @Size(max = 65536) String script,
        @NotBlank @Size(max = 64) String cron,
        SchedulerType schedulerType,
        Integer priority,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.\\-]+", message = "must be a resource group name") String resourceGroup,
        RerunMode rerunMode,
        @Size(max = 64) String owner,
        InstanceGeneration instanceGeneration,
        @Size(max = 100) List<@NotNull @Positive Long> upstream,
        @Min(0) @Max(10) Integer retries,
        @Min(1) @Max(1800) Integer retryIntervalSeconds,
        @Min(1) @Max(259200) Integer timeoutSeconds,
        @Min(0) @Max(10) Integer lostRetries,
        @Size(max = 50) Map<@NotNull @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}", message = "must be an environment variable name") String,
                @NotNull @Size(max = 4096) String> parameters) {

    /** The same node with defaults filled in and the given id. */
    public NodeDefinition normalised(long nodeId, String workflowOwner) {
        return new NodeDefinition(nodeId, name, type, type == NodeType.SHELL ? script : null, cron.trim(),
                schedulerType == null ? SchedulerType.NORMAL : schedulerType,
                priority == null ? 1 : priority,
                resourceGroup == null ? "default" : resourceGroup,
                rerunMode == null ? RerunMode.ALL_ALLOWED : rerunMode,
                owner == null || owner.isBlank() ? workflowOwner : owner,
                instanceGeneration == null ? InstanceGeneration.T_PLUS_1 : instanceGeneration,
                upstream == null ? List.of() : upstream.stream().distinct().toList(),
                retries == null ? 0 : retries,
                retryIntervalSeconds == null ? 60 : retryIntervalSeconds,
                timeoutSeconds,
                lostRetries,
                parameters == null ? Map.of() : new TreeMap<>(parameters));
    }
}
