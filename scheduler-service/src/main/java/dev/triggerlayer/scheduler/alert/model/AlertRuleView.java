package dev.triggerlayer.scheduler.alert.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** A rule as the API shows it; members its type does not use are omitted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRuleView(long remindId, long tenantId, long workspaceId, String remindName, String remindUnit, String remindType,
                            List<Long> nodeIds, Integer timeoutMinutes, String unfinishedTime, String resourceGroup,
                            Integer usagePercent, Integer waitingCount, String createdBy, Instant createdAt) {
}
