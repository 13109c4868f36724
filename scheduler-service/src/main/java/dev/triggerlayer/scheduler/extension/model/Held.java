package dev.triggerlayer.scheduler.extension.model;

import java.util.List;
import java.util.UUID;

/** An operation now waiting in Checking: its pending operation and one check per workspace that has covering extensions. */
public record Held(UUID pendingOperationId, List<UUID> checkIds) {
}
