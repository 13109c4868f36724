package dev.triggerlayer.kit.health;

import dev.triggerlayer.kit.loop.SupervisedLoop;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of every {@link SupervisedLoop} of the service: DOWN while any of them is not serving
 * (restarting after a failure, or waiting for what it needs), with each loop's state.
 */
@Readiness
@ApplicationScoped
public class LoopsReadiness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("supervised loops").up();
        for (SupervisedLoop loop : SupervisedLoop.all().values()) {
            String failure = loop.failure();
            r.withData(loop.name(), failure == null ? "UP" : "DOWN: " + failure);
            if (failure != null) {
                r.down();
            }
            if (loop.restarts() > 0) {
                r.withData(loop.name() + ".restarts", loop.restarts());
            }
        }
        return r.build();
    }
}
