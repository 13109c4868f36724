package dev.triggerlayer.kit.kafka;

import dev.triggerlayer.kit.loop.Backoff;
import dev.triggerlayer.kit.loop.SupervisedLoop;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Replays compacted topics (state, latest record per key) from their beginning into a local copy,
 * then follows them, on a {@link SupervisedLoop}. No consumer group: every replica needs every
 * record, and nothing is committed. A failure (the broker unreachable, a leader election) does
 * not end it: it reconnects with backoff and resumes at the offsets it had reached, so no record
 * is skipped and none is applied again out of order; meanwhile readiness is DOWN.
 *
 * <p>{@link #initialLoad()} completes when the topics were read to the end they had at start;
 * {@link #barrier()} when everything the topics held at the moment of the call was applied.
 */
public final class CompactedTopicReader {

    /** Applies one record ({@code value} null for a tombstone); an exception skips only that record. */
    public interface Sink {
        void apply(String topic, String key, String value);
    }

    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);

    private final String name;
    private final Supplier<KafkaConsumer<String, String>> consumers;
    private final List<String> topics;
    private final Sink sink;
    private final Clock clock;
    private final CompletableFuture<Void> initialLoad = new CompletableFuture<>();
    private final List<CompletableFuture<Void>> barriers = new ArrayList<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final SupervisedLoop loop;
    private volatile long caughtUpAsOf = Long.MIN_VALUE;

    public CompactedTopicReader(String name, Supplier<KafkaConsumer<String, String>> consumers, List<String> topics,
                                Sink sink, Clock clock) {
        this.name = name;
        this.consumers = consumers;
        this.topics = List.copyOf(topics);
        this.sink = sink;
        this.clock = clock;
        this.loop = new SupervisedLoop(name, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10)), this::run);
    }

    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop(Duration.ofSeconds(10));
    }

    /** Completes when the topics were read to their end for the first time. */
    public CompletionStage<Void> initialLoad() {
        return initialLoad;
    }

    public boolean loaded() {
        return initialLoad.isDone();
    }

    /** Null while reading; the last error while the reader is reconnecting after a failure. */
    public String failure() {
        return loop.failure();
    }

    /** Clock millis up to which the local copy is complete: everything the topics held then was applied. */
    public long caughtUpAsOf() {
        return caughtUpAsOf;
    }

    /** Completes once every record the topics held when this was called has been applied. */
    public CompletionStage<Void> barrier() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        synchronized (barriers) {
            barriers.add(waiter);
        }
        return waiter;
    }

    private void run(SupervisedLoop loop) {
        try (KafkaConsumer<String, String> c = consumers.get()) {
            loop.onStop(c::wakeup);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<org.apache.kafka.common.PartitionInfo> of = c.partitionsFor(topic, Duration.ofSeconds(30));
                if (of.isEmpty()) {
                    // Every topic or none: a copy loaded from some of them would look complete.
                    throw new IllegalStateException("topic " + topic + " does not exist yet (its owner creates it)");
                }
                of.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(partitions);
            for (TopicPartition tp : partitions) {
                if (next.containsKey(tp)) {
                    c.seek(tp, next.get(tp));
                } else {
                    c.seekToBeginning(List.of(tp));
                }
            }
            follow(c, loop);
        } catch (WakeupException | InterruptException e) {
            if (loop.running()) {
                throw e;
            }
        } finally {
            loop.onStop(null);
        }
    }

    private void follow(KafkaConsumer<String, String> c, SupervisedLoop loop) {
        while (loop.running()) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                if (r.key() != null) {
                    try {
                        sink.apply(r.topic(), r.key(), r.value());
                    } catch (RuntimeException e) {
                        // A malformed record must not stop the copy; the next record of the key replaces it.
                        LOG.warnf("%s skips an unreadable %s record %s: %s", name, r.topic(), r.key(), e.getMessage());
                    }
                }
                next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
            loop.up();
            boolean waited;
            synchronized (barriers) {
                waited = !barriers.isEmpty();
            }
            if (!initialLoad.isDone() || waited) {
                checkEnd(c);
            }
        }
    }

    /** Takes the waiting barriers before measuring the end, so the end is at least as late as each request. */
    private void checkEnd(KafkaConsumer<String, String> c) {
        List<CompletableFuture<Void>> served;
        synchronized (barriers) {
            served = List.copyOf(barriers);
        }
        long measuredAt = clock.millis();
        Map<TopicPartition, Long> end = c.endOffsets(c.assignment(), Duration.ofSeconds(10));
        if (end.entrySet().stream().allMatch(e -> c.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue())) {
            caughtUpAsOf = Math.max(caughtUpAsOf, measuredAt);
            synchronized (barriers) {
                barriers.removeAll(served);
            }
            served.forEach(w -> w.complete(null));
            if (initialLoad.complete(null)) {
                LOG.infof("%s caught up with %s", name, topics);
            }
        }
    }
}
