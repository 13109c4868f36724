package dev.triggerlayer.scheduler.alert.model;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A rule as an operator creates it. Which of the optional members are required depends on the
 * type; the others must be absent (docs/alerts.md).
 *
 * @param remindUnit     {@code NODE} or {@code GATEWAY_RES}
 * @param remindType     {@code ERROR}, {@code TIMEOUT}, {@code FINISHED}, {@code UNFINISHED} (NODE);
 *                       {@code RES_GROUP_THRESHOLD}, {@code RES_GROUP_WAIT_AMOUNT} (GATEWAY_RES)
 * @param nodeIds        NODE: deployed nodes of the workspace (1–100)
 * @param timeoutMinutes TIMEOUT: how long an instance may run (1 min – 7 days)
 * @param unfinishedTime UNFINISHED: {@code HH:mm}, a wall-clock time of the workflow's time zone on the instance's scheduled day
 * @param resourceGroup  GATEWAY_RES: the resource group's name
 * @param usagePercent   RES_GROUP_THRESHOLD: alert when slots in use reach this share of the group's slots (1–100)
 * @param waitingCount   RES_GROUP_WAIT_AMOUNT: alert when more instances than this wait for the group's slots
 */
public record AlertRuleInput(
        @NotNull @Positive Long tenantId,
        @NotNull @Positive Long workspaceId,
        @NotBlank @Size(max = 128) String remindName,
        @NotBlank @Size(max = 32) String remindUnit,
        @NotBlank @Size(max = 32) String remindType,
        @Size(min = 1, max = 100) List<@NotNull @Positive Long> nodeIds,
        @Min(1) @Max(7 * 24 * 60) Integer timeoutMinutes,
        @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message = "must be a time of day HH:mm, e.g. 08:30") String unfinishedTime,
        @Size(max = 64) String resourceGroup,
        @Min(1) @Max(100) Integer usagePercent,
        @Min(0) @Max(1_000_000) Integer waitingCount) {
}
