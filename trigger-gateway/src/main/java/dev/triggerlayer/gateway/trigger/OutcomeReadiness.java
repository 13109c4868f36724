package dev.triggerlayer.gateway.trigger;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while trigger outcomes cannot be read: every trigger would wait and then fail. */
@Readiness
@ApplicationScoped
public class OutcomeReadiness implements HealthCheck {

    private final TriggerCommands commands;

    public OutcomeReadiness(TriggerCommands commands) {
        this.commands = commands;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = commands.failure();
        return HealthCheckResponse.named("Trigger outcomes").status(failure == null)
                .withData("listener", failure == null ? "reading" : failure).build();
    }
}
