package dev.triggerlayer.scheduler.extension.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** An extension as the admin API shows it, with the workspaces where it is switched on or off. */
public record ExtensionView(String code, long tenantId, String name, String owner, List<String> eventCodes, long testWorkspaceId,
                            String detailUrl, String documentUrl, String parameters, JsonNode optionsSchema,
                            int checkTimeoutSeconds, String timeoutResult, boolean published, List<Workspace> workspaces,
                            Instant createdAt, Instant updatedAt) {

    public record Workspace(long workspaceId, boolean enabled, JsonNode options, String updatedBy, Instant updatedAt) {
    }
}
