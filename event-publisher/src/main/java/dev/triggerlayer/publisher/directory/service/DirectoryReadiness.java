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
    private final RegistryFeedReader feed;

    public DirectoryReadiness(Directory directory, RegistryFeedReader feed) {
        this.directory = directory;
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Registry directory")
                .status(feed.loaded() && feed.failure() == null)
                .withData("entries", directory.size())
                .withData("feed", feed.failure() == null ? "reading" : "reconnecting: " + feed.failure())
                .build();
    }
}
