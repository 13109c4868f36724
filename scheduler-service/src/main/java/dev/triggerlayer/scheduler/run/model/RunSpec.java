package dev.triggerlayer.scheduler.run.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** One run (attempt) of a shell instance, as the dispatcher claimed it. */
public record RunSpec(long instanceId, int attempt, long nodeId, long workspaceId, String env, Instant cycTime,
                      LocalDate bizDate, String script, Map<String, String> parameters, Duration timeout,
                      int retries, Duration retryDelay) {
}
