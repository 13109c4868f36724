package dev.triggerlayer.kit.kafka;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * At start, creates the topics {@code contracts/topics.json} gives to this service (named by
 * {@code quarkus.application.name}) with their declared settings, before anything writes to them.
 * Topics of other owners are never created here: readers wait for them.
 */
@ApplicationScoped
public class OwnedTopics {

    private static final Logger LOG = Logger.getLogger(OwnedTopics.class);

    private final KafkaSettings kafka;
    private final String service;
    private final Optional<Short> replicationFactor;

    public OwnedTopics(KafkaSettings kafka, @ConfigProperty(name = "quarkus.application.name") String service,
                       @ConfigProperty(name = "triggerlayer.topics.replication-factor") Optional<Short> replicationFactor) {
        this.kafka = kafka;
        this.service = service;
        this.replicationFactor = replicationFactor;
    }

    void create(@Observes @Priority(10) StartupEvent event) {
        List<TopicSpec> owned = TopicCatalog.get().ownedBy(service);
        if (owned.isEmpty()) {
            return;
        }
        try (Admin admin = kafka.admin()) {
            TopicCatalog.ensure(admin, owned, replicationFactor);
        }
        LOG.debugf("%s ensured its topics %s", service, owned.stream().map(TopicSpec::name).toList());
    }
}
