package dev.triggerlayer.benchmarks;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Event publisher measurements through its real interfaces: scheduler {@code instance-changes}
 * records produced into Kafka, CloudEvents read from the tenant's bus.
 *
 * <ul>
 *   <li>Throughput: a backlog of records committed in one transaction (the publisher reads
 *       read_committed, so it sees the whole backlog at the commit), timed from the commit until
 *       the bus holds all its events (the bus's end offsets, polled), against a raw producer
 *       (acks=all, idempotent, linger 5 ms, 256 KiB batches: the publisher's producer settings)
 *       writing as many records of the events' size to a topic of the bus's partitions, timed from
 *       its first send to its last acknowledgement. Neither side shares the CPU with the load
 *       client's other work while timed: the backlog is written, and the events are read and
 *       checked (every id, once), outside the timed span. Alternating rounds; the medians are
 *       compared, so a noisy moment hurts both sides alike.</li>
 *   <li>Also printed, not part of the ratio: the pipeline figure, the same burst with the load
 *       client producing the input and reading the bus while the publisher works (first send
 *       to last event read).</li>
 *   <li>Latency: records at a steady rate well below capacity; each event's time is when it is
 *       read off the bus minus the input record's timestamp (set when the scheduler's relay sends
 *       it, right after the change committed). Both clocks are this machine's.</li>
 * </ul>
 *
 * <p>The tenant (publishing workspace, no bus records: the implicit default bus) is created
 * through the registry's API; the publisher learns it from the registry feed.
 *
 * <p>Arguments: registryUrl token bootstrapServers events rounds latencySamples latencyRate jsonOut
 */
public final class PublisherBench {

    private static final long TENANT = 990001, WORKSPACE = 990002;
    private static final String REGION = "cn-bench";
    private static final String INPUT = "scheduler.instance-changes";
    private static final String BUS = "tenant." + TENANT + ".bus.default";
    private static final String RAW = "bench.raw-producer";

    public static void main(String[] a) throws Exception {
        String registry = a[0], token = a[1], kafka = a[2];
        int events = Integer.parseInt(a[3]), rounds = Integer.parseInt(a[4]);
        int latencySamples = Integer.parseInt(a[5]), latencyRate = Integer.parseInt(a[6]);
        Path out = Path.of(a[7]);

        HttpClient http = HttpClient.newHttpClient();
        post(http, registry, token, "/api/v1/regions", "{\"id\":\"" + REGION + "\",\"endpointHost\":\"127.0.0.1:18080\","
                + "\"gatewayUrl\":\"http://127.0.0.1:18080\",\"eventBuses\":[\"default\"]}");
        post(http, registry, token, "/api/v1/tenants", "{\"id\":" + TENANT + ",\"name\":\"bench\",\"accountId\":\"9900010000000001\","
                + "\"edition\":\"ENTERPRISE\",\"homeRegion\":\"" + REGION + "\",\"timeZone\":\"Asia/Shanghai\"}");
        post(http, registry, token, "/api/v1/workspaces", "{\"id\":" + WORKSPACE + ",\"tenantId\":" + TENANT
                + ",\"name\":\"bench_publisher\",\"publishEvents\":true}");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
             KafkaProducer<String, String> producer = producer(kafka);
             KafkaProducer<String, String> backlog = transactionalProducer(kafka);
             KafkaConsumer<String, byte[]> bulk = consumer(kafka, true);
             KafkaConsumer<String, byte[]> prompt = consumer(kafka, false)) {
            List<TopicPartition> busPartitions = awaitTopic(bulk, BUS, producer);
            Bus reader = new Bus(bulk, busPartitions);
            // Warm-up: JIT of both sides, the bus topic, and whatever backlog the input topic holds.
            int eventBytes = reader.averageSize(burst(producer, reader, 5_000).reads());

            int partitions = reader.partitions.size();
            try {
                admin.createTopics(List.of(new NewTopic(RAW, Optional.of(partitions), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            String payload = "x".repeat(eventBytes);
            // A full-size round of each kind, unmeasured: with only the probe burst above, the first
            // measured publisher round ran at half the speed of the later ones (JIT still compiling).
            raw(producer, payload, events);
            drain(backlog, reader, events);

            double[] rawRates = new double[rounds], publisherRates = new double[rounds], pipelineRates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                rawRates[r] = raw(producer, payload, events);
                publisherRates[r] = events / drain(backlog, reader, events).seconds();
                pipelineRates[r] = events / burst(producer, reader, events).seconds();
            }
            double rawRate = median(rawRates), publisherRate = median(publisherRates), pipelineRate = median(pipelineRates);

            double[][] latency = latency(producer, new Bus(prompt, busPartitions), latencySamples, latencyRate);
            double[] endToEnd = latency[0], publishedAt = latency[1];

            String text = String.format(Locale.ROOT,
                    "raw producer (acks=all, %d-byte records, %d partitions): %,.0f records/s (median of %d: %s)%n"
                            + "publisher (committed backlog of instance-changes -> CloudEvents on the bus): %,.0f events/s (median of %d: %s)%n"
                            + "ratio publisher : raw producer = %.2f (goal >= 0.5); round by round: %s%n"
                            + "  pipeline, the load client writing the input and reading the bus meanwhile: %,.0f events/s (median of %d: %s), %.2f of the raw producer%n"
                            + "change committed -> event read off the bus, %d events at %d/s: p50 %.1f ms, p99 %.1f ms (goal p99 <= 50 ms)%n"
                            + "  of which until the publisher wrote it (bus record timestamp): p50 %.1f ms, p99 %.1f ms%n",
                    eventBytes, partitions, rawRate, rounds, rates(rawRates), publisherRate, rounds, rates(publisherRates),
                    publisherRate / rawRate, roundRatios(publisherRates, rawRates), pipelineRate, rounds, rates(pipelineRates), pipelineRate / rawRate, latencySamples, latencyRate, percentile(endToEnd, 0.5), percentile(endToEnd, 0.99),
                    percentile(publishedAt, 0.5), percentile(publishedAt, 0.99));
            System.out.print(text);
            Files.writeString(out, String.format(Locale.ROOT,
                    "{\"events\":%d,\"eventBytes\":%d,\"partitions\":%d,\"rounds\":%d,\"rawProducerPerSecond\":%.1f,"
                            + "\"publisherEventsPerSecond\":%.1f,\"ratio\":%.3f,\"pipelineEventsPerSecond\":%.1f,\"pipelineRatio\":%.3f,"
                            + "\"latency\":{\"samples\":%d,\"ratePerSecond\":%d,\"p50ms\":%.2f,\"p99ms\":%.2f,"
                            + "\"untilWrittenP50ms\":%.2f,\"untilWrittenP99ms\":%.2f}}%n",
                    events, eventBytes, partitions, rounds, rawRate, publisherRate, publisherRate / rawRate, pipelineRate, pipelineRate / rawRate,
                    latencySamples, latencyRate,
                    percentile(endToEnd, 0.5), percentile(endToEnd, 0.99), percentile(publishedAt, 0.5), percentile(publishedAt, 0.99)));
        }
    }

    /** The events of one burst, and the seconds from its first send to its last event read. */
    private record Burst(List<Read> reads, double seconds) {
    }

    /** Sends {@code count} changes as fast as the producer takes them and waits for all their events. */
    private static Burst burst(KafkaProducer<String, String> producer, Bus reader, int count) throws Exception {
        List<String> ids = ids(count);
        // Built before the clock starts: writing the records is the scheduler's work, not the publisher's.
        List<ProducerRecord<String, String>> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(change(ids.get(i), 100_000_000L + i));
        }
        reader.expect(ids);
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        Thread sender = new Thread(() -> {
            for (ProducerRecord<String, String> change : changes) {
                producer.send(change, (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }, "bench-input");
        sender.start();
        List<Read> got = reader.read(failed);
        double seconds = (System.nanoTime() - start) / 1e9;
        sender.join();
        return new Burst(got, seconds);
    }

    /**
     * Commits {@code count} changes in one transaction, then waits until the bus's end offsets
     * have grown by as many events; the span from the commit to then is the publisher's alone.
     * The events are read and checked afterwards, outside the timed span.
     */
    private static Burst drain(KafkaProducer<String, String> backlog, Bus reader, int count) throws Exception {
        List<String> ids = ids(count);
        reader.expect(ids);
        long target = reader.endOffsetSum() + count;
        backlog.beginTransaction();
        for (int i = 0; i < count; i++) {
            backlog.send(change(ids.get(i), 300_000_000L + i));
        }
        backlog.commitTransaction();
        long start = System.nanoTime(), committedAt = System.currentTimeMillis();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (reader.endOffsetSum() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bus did not grow by " + count + " events within 5 minutes");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Read> got = reader.read(new AtomicReference<>());
        // Cross-check against the events' own send times: the span cannot be shorter than the
        // publisher's last send after the commit (the 2 ms polling and the clocks' ms grain aside).
        long lastSent = got.stream().mapToLong(r -> r.record().timestamp()).max().orElseThrow();
        if ((lastSent - committedAt) / 1e3 > seconds + 0.05) {
            throw new IllegalStateException("the bus looked complete after " + seconds + " s, but an event was sent "
                    + (lastSent - committedAt) + " ms after the commit");
        }
        return new Burst(got, seconds);
    }

    /** Records/s of a raw producer: first send until the last acknowledgement. */
    private static double raw(KafkaProducer<String, String> producer, String payload, int count) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(RAW, String.valueOf(100_000_000L + i), payload), (m, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        double rate = count / ((System.nanoTime() - start) / 1e9);
        if (failed.get() != null) {
            throw new IllegalStateException("raw producer failed", failed.get());
        }
        return rate;
    }

    /**
     * Changes at a fixed rate; per event, read time minus the input record's timestamp, and the
     * bus record's timestamp (the publisher's send) minus the input record's timestamp, in ms.
     */
    private static double[][] latency(KafkaProducer<String, String> producer, Bus reader, int samples, int perSecond)
            throws Exception {
        List<String> ids = ids(samples);
        reader.expect(ids);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond, next = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                String id = ids.get(i);
                producer.send(change(id, 200_000_000L + i), (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        sentAt.put(id, m.timestamp());
                    }
                });
                // Open loop: the next change is due at its time whatever the publisher does.
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            producer.flush();
        }, "bench-latency-input");
        sender.start();
        List<Read> got = reader.read(failed);
        // After join: the producer was flushed, so every send's callback has run.
        sender.join();
        double[] endToEnd = new double[samples], written = new double[samples];
        for (int i = 0; i < samples; i++) {
            Read r = got.get(i);
            long input = sentAt.get(r.eventId());
            endToEnd[i] = r.readAtMillis() - input;
            written[i] = r.record().timestamp() - input;
        }
        return new double[][] {endToEnd, written};
    }

    /** A task instance status change as the scheduler writes it (contracts/scheduler-records.md). */
    private static ProducerRecord<String, String> change(String changeId, long taskInstanceId) {
        long now = System.currentTimeMillis();
        String value = "{\"changeId\":\"" + changeId + "\",\"taskInstanceId\":" + taskInstanceId + ",\"dagInstanceId\":" + (taskInstanceId + 1)
                + ",\"dagType\":0,\"nodeId\":4002,\"workflowId\":3001,\"tenantId\":" + TENANT + ",\"workspaceId\":" + WORKSPACE
                + ",\"env\":\"Prod\",\"nodeType\":\"HTTP_TRIGGER\",\"schedulerType\":\"NORMAL\",\"taskType\":0,\"previousStatus\":2,"
                + "\"status\":6,\"waitTrigger\":false,\"cycTime\":1763769600000,\"bizDate\":\"2026-11-21\","
                + "\"beginWaitTimeTime\":1763769600000,\"finishTime\":" + now + ",\"createTime\":1763683200000,\"modifyTime\":" + now
                + ",\"opCode\":32,\"operator\":\"trigger\"}";
        ProducerRecord<String, String> record = new ProducerRecord<>(INPUT, String.valueOf(taskInstanceId), value);
        record.headers().add("event-id", changeId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** One event read off the bus, and when (epoch ms). */
    private record Read(ConsumerRecord<String, byte[]> record, String eventId, long readAtMillis) {
    }

    /**
     * The tenant's bus. A measurement counts only the events of its own changes (by event id), so
     * a late warm-up probe or another measurement's straggler cannot end it early.
     */
    private static final class Bus {
        final KafkaConsumer<String, byte[]> consumer;
        final List<TopicPartition> partitions;
        private Set<String> expected = Set.of();

        Bus(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
            this.consumer = consumer;
            this.partitions = partitions;
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve the end now, before any change of the measurement is sent.
            partitions.forEach(consumer::position);
        }

        /** The sum of the bus partitions' end offsets (one ListOffsets request). */
        long endOffsetSum() {
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }

        void expect(List<String> ids) {
            expected = new HashSet<>(ids);
        }

        List<Read> read(AtomicReference<Exception> failed) {
            int count = expected.size();
            List<Read> got = new ArrayList<>(count);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!expected.isEmpty()) {
                if (failed.get() != null) {
                    throw new IllegalStateException("sending changes failed", failed.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + got.size() + " of " + count + " events arrived on " + BUS);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    String id = header(r, "event-id");
                    // remove: a redelivered duplicate counts once
                    if (expected.remove(id)) {
                        got.add(new Read(r, id, now));
                    }
                }
            }
            return got;
        }

        int averageSize(List<Read> reads) {
            return (int) reads.stream().mapToInt(r -> r.record().value().length).average().orElse(1000);
        }
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    /**
     * The bus topic's partitions. The publisher creates the topic with its first event, and
     * drops changes of a workspace it does not know yet, so probes are sent until one arrives.
     */
    private static List<TopicPartition> awaitTopic(KafkaConsumer<String, byte[]> consumer, String topic,
                                                   KafkaProducer<String, String> producer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            producer.send(change(UUID.randomUUID().toString(), 1)).get();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            // The publisher may still be reading an earlier measurement's backlog: a probe per 200 ms is plenty.
            Thread.sleep(200);
        }
        throw new IllegalStateException("the publisher never created " + topic + "; is it running and reading the registry feed?");
    }

    /** Configured like the publisher's own producer, so the baseline is the same client doing only the write. */
    private static KafkaProducer<String, String> producer(String kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new StringSerializer());
    }

    /** Writes a backlog that the publisher (read_committed) sees only when it is committed. */
    private static KafkaProducer<String, String> transactionalProducer(String kafka) {
        KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-backlog-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
        p.initTransactions();
        return p;
    }

    /**
     * @param bulk for the throughput rounds: fetches wait for 256 KiB (at most 10 ms, a bound on
     *             the end of a round) rather than returning each few records, so the load client
     *             takes less of the CPU the publisher and the broker share with it; the latency
     *             reader returns every record at once
     */
    private static KafkaConsumer<String, byte[]> consumer(String kafka, boolean bulk) {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        if (bulk) {
            props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        }
        return new KafkaConsumer<>(props,
                // Values stay bytes: the reader needs only their size and the event-id header.
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static double median(double[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(sorted.length * p))];
    }

    /** Each round's publisher rate over the raw rate of the same round: how much of the spread is the machine's. */
    private static String roundRatios(double[] publisher, double[] raw) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            out.add(String.format(Locale.ROOT, "%.2f", publisher[i] / raw[i]));
        }
        return String.join(" / ", out);
    }

    private static String rates(double[] values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(String.format(Locale.ROOT, "%,.0f", v));
        }
        return String.join(" / ", out);
    }

    /** Creates through the registry's admin API; a 409 (already there from an earlier run) is fine. */
    private static void post(HttpClient http, String url, String token, String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 409) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
    }
}
