package dev.triggerlayer.gateway.trigger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/** A trigger command as contracts/scheduler-records.md defines it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Written by hand with Jackson (not by a REST method), so the native image needs it registered.
@RegisterForReflection
public record TriggerCommand(UUID commandId, Instant issuedAt, String action, long taskId, String env, long triggerTime,
                             Long appId, Long bizDate, String principal, String homeRegion, String originRegion) {

    /** For a tenant homed in another region: it travels there and its outcome back (docs/federation.md). */
    public boolean federated() {
        return homeRegion != null;
    }

    /** Keyed by instance, so one instance's commands stay in order. */
    public String key() {
        return env + "/" + taskId + "/" + triggerTime;
    }
}
