package dev.triggerlayer.publisher.directory.service;

import dev.triggerlayer.kit.kafka.CompactedTopicReader;
import dev.triggerlayer.kit.kafka.KafkaSettings;
import dev.triggerlayer.publisher.config.PublisherConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Replays the registry's change feed into the {@link Directory} and follows it (the kit's
 * {@link CompactedTopicReader}), and tells how far the copy is: the feed is eventually consistent
 * with the scheduler's topics, so a status change can name a workspace the feed has not
 * delivered yet, and {@link #caughtUp()} lets it wait for everything the registry had published.
 */
@ApplicationScoped
public class RegistryFeedReader {

    private final CompactedTopicReader reader;

    public RegistryFeedReader(Directory directory, KafkaSettings kafka, PublisherConfig config, Clock clock) {
        this.reader = new CompactedTopicReader("registry-feed-reader", () -> kafka.assignedConsumer("event-publisher-directory"),
                List.of(config.topics().registryChanges()), (topic, key, value) -> directory.apply(key, value), clock);
    }

    public void start() {
        reader.start();
    }

    public void stop() {
        reader.stop();
    }

    /** Whether the feed was read to its end at least once since start. */
    public boolean loaded() {
        return reader.loaded();
    }

    /** Completes when the feed was read to its end for the first time. */
    public CompletionStage<Void> initialLoad() {
        return reader.initialLoad();
    }

    /**
     * Epoch milliseconds up to which the directory is known to be complete: everything the
     * registry had published by then has been applied. A change written before this moment that
     * names an unknown workspace needs no further wait: the registry did not know it either.
     */
    public long caughtUpAsOf() {
        return reader.caughtUpAsOf();
    }

    /** Completes once every record the feed held when this was called has been applied. */
    public CompletionStage<Void> caughtUp() {
        return reader.barrier();
    }

    /** Null while reading; the last error while the reader reconnects. */
    public String failure() {
        return reader.failure();
    }
}
