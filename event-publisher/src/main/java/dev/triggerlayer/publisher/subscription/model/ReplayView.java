package dev.triggerlayer.publisher.subscription.model;

import java.time.Instant;

/** Answer to a replay request: events published to the bus since {@code from} are delivered again. */
public record ReplayView(long subscriptionId, Instant from, int replayGeneration) {
}
