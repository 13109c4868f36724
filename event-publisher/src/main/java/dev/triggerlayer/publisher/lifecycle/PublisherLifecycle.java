package dev.triggerlayer.publisher.lifecycle;

import dev.triggerlayer.publisher.bus.messaging.KafkaClients;
import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.publisher.delivery.service.DeliveryLanes;
import dev.triggerlayer.publisher.directory.service.Directory;
import dev.triggerlayer.publisher.directory.service.RegistryFeedReader;
import dev.triggerlayer.publisher.event.messaging.SchedulerChangeConsumer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Start-up order: the registry directory read to its end, then the scheduler
 * consumer and the delivery lanes. Publishing before the directory is complete could act on a
 * stale workspace setting (say, publishEvents before it was switched off). Shut-down runs in
 * reverse, so nothing writes through a closed producer.
 */
@ApplicationScoped
public class PublisherLifecycle {

    private static final Logger LOG = Logger.getLogger(PublisherLifecycle.class);

    private final TopicProvisioner topics;
    private final RegistryFeedReader feedReader;
    private final Directory directory;
    private final SchedulerChangeConsumer schedulerChanges;
    private final DeliveryLanes lanes;
    private final KafkaClients kafka;
    private final PublisherConfig config;

    public PublisherLifecycle(TopicProvisioner topics, RegistryFeedReader feedReader, Directory directory,
                              SchedulerChangeConsumer schedulerChanges, DeliveryLanes lanes, KafkaClients kafka,
                              PublisherConfig config, SealedSecrets sealer) {
        // The sealer is injected so that a broken key ring fails the start, not the first delivery.
        this.topics = topics;
        this.feedReader = feedReader;
        this.directory = directory;
        this.schedulerChanges = schedulerChanges;
        this.lanes = lanes;
        this.kafka = kafka;
        this.config = config;
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        feedReader.start();
        try {
            feedReader.initialLoad().toCompletableFuture()
                    .get(config.directory().startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("the registry feed was not read to its end within %s; events wait for it (readiness is DOWN)",
                    config.directory().startupTimeout());
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the registry feed failed", e.getCause());
        }
        schedulerChanges.start();
        lanes.start();
    }

    void stop(@Observes ShutdownEvent event) {
        lanes.stopAll();
        schedulerChanges.stop();
        feedReader.stop();
        kafka.close();
    }
}
