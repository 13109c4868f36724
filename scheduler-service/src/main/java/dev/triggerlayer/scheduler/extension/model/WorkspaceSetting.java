package dev.triggerlayer.scheduler.extension.model;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;

/** A workspace administrator's switch for a published extension, with the workspace's options. */
public record WorkspaceSetting(@NotNull Boolean enabled, JsonNode options) {
}
