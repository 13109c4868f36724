package dev.triggerlayer.publisher.directory.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the registry feed was read to its end: before that, events could be routed on stale settings. */
@Readiness
@ApplicationScoped
public class DirectoryReadiness implements HealthCheck {

    private final Directory directory;

    public DirectoryReadiness(Directory directory) {
        this.directory = directory;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Registry directory")
                .status(directory.loaded())
                .withData("entries", directory.size())
                .build();
    }
}
