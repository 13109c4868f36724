package dev.triggerlayer.gateway.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Refuses to start when the connection idle timeout is not longer than the outcome timeout: a
 * trigger request sends nothing while it waits for its outcome, so the connection would be closed
 * under a client that is doing nothing wrong.
 */
@ApplicationScoped
public class TimeoutCheck {

    private final GatewayConfig config;
    private final Duration idleTimeout;

    public TimeoutCheck(GatewayConfig config, @ConfigProperty(name = "quarkus.http.idle-timeout") Duration idleTimeout) {
        this.config = config;
        this.idleTimeout = idleTimeout;
    }

    void check(@Observes StartupEvent event) {
        if (idleTimeout.compareTo(config.outcomeTimeout().plusSeconds(1)) < 0) {
            throw new IllegalStateException("quarkus.http.idle-timeout (" + idleTimeout + ") must be at least 1 s longer than "
                    + "gateway.outcome-timeout (" + config.outcomeTimeout() + ").");
        }
    }
}
