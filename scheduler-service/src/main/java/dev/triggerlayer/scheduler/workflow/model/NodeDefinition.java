package dev.triggerlayer.scheduler.workflow.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

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
        @Size(max = 100) List<@NotNull @Positive Long> upstream) {

    /** The same node with defaults filled in and the given id. */
    public NodeDefinition normalised(long nodeId, String workflowOwner) {
        return new NodeDefinition(nodeId, name, type, type == NodeType.SHELL ? script : null, cron.trim(),
                schedulerType == null ? SchedulerType.NORMAL : schedulerType,
                priority == null ? 1 : priority,
                resourceGroup == null ? "default" : resourceGroup,
                rerunMode == null ? RerunMode.ALL_ALLOWED : rerunMode,
                owner == null || owner.isBlank() ? workflowOwner : owner,
                instanceGeneration == null ? InstanceGeneration.T_PLUS_1 : instanceGeneration,
                upstream == null ? List.of() : upstream.stream().distinct().toList());
    }
}
