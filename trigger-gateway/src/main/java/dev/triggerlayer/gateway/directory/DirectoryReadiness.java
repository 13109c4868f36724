package dev.triggerlayer.gateway.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the local directory replayed the feeds: before that every key would look unknown. */
@Readiness
@ApplicationScoped
public class DirectoryReadiness implements HealthCheck {

    private final DirectoryLoader loader;

    public DirectoryReadiness(DirectoryLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Registry and node directory").status(loader.caughtUp() && loader.failure() == null)
                .withData("feed", loader.failure() == null ? "reading" : "reconnecting: " + loader.failure()).build();
    }
}
