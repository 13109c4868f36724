package dev.triggerlayer.benchmarks;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Scheduler measurements through its real interfaces (Kafka commands and outcomes):
 * trigger throughput in instance transitions per second (each trigger moves the HTTP trigger
 * instance to succeeded and releases its downstream instance in one transaction), and closed-loop
 * trigger → downstream-runnable latency with about 10 k and about 1 M stored instances.
 *
 * <p>Arguments: schedulerUrl token bootstrapServers jdbcUrl user password jsonOut
 */
public final class SchedulerBench {

    private static final int NODES = 20;
    private static final long WORKFLOW = 990001, WORKSPACE = 990000, FIRST_TRIGGER = 990100, FIRST_SHELL = 990200;

    public static void main(String[] a) throws Exception {
        String url = a[0], token = a[1], kafka = a[2], jdbc = a[3], user = a[4], password = a[5];
        HttpClient http = HttpClient.newHttpClient();
        StringJoiner nodes = new StringJoiner(",");
        for (int i = 0; i < NODES; i++) {
            nodes.add("{\"id\":" + (FIRST_TRIGGER + i) + ",\"name\":\"t" + i + "\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00/10 * * * ?\"}");
            nodes.add("{\"id\":" + (FIRST_SHELL + i) + ",\"name\":\"s" + i + "\",\"type\":\"SHELL\",\"script\":\"true\",\"cron\":\"00 00/10 * * * ?\","
                    + "\"upstream\":[" + (FIRST_TRIGGER + i) + "]}");
        }
        post(http, url, token, "/api/v1/workflows", "{\"id\":" + WORKFLOW + ",\"tenantId\":1,\"workspaceId\":" + WORKSPACE
                + ",\"env\":\"Prod\",\"name\":\"bench\",\"owner\":\"bench\",\"timeZone\":\"UTC\",\"nodes\":[" + nodes + "]}");
        post(http, url, token, "/api/v1/workflows/" + WORKFLOW + "/deploy", "");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 1; d <= 3; d++) {
            post(http, url, token, "/api/v1/workflows/" + WORKFLOW + "/generate?date=" + today.minusDays(d), "");
        }
        long stored = count(jdbc, user, password);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> outcomes = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = outcomes.partitionsFor("scheduler.trigger-outcomes").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            outcomes.assign(parts);
            outcomes.seekToEnd(parts);
            parts.forEach(outcomes::position);

            // Throughput: every trigger instance of yesterday, sent at once.
            List<String> batch = new ArrayList<>();
            Set<String> waiting = new HashSet<>();
            long start = System.nanoTime();
            for (long t : times(today.minusDays(1))) {
                for (int n = 0; n < NODES; n++) {
                    String id = UUID.randomUUID().toString();
                    waiting.add(id);
                    producer.send(record(id, FIRST_TRIGGER + n, t));
                    batch.add(id);
                }
            }
            producer.flush();
            await(outcomes, waiting);
            double seconds = (System.nanoTime() - start) / 1e9;
            double transitionsPerSecond = 2.0 * batch.size() / seconds;

            double[] small = latency(producer, outcomes, today.minusDays(2), 300);
            long filler = fill(jdbc, user, password, 1_000_000);
            double[] large = latency(producer, outcomes, today.minusDays(3), 300);

            String table = String.format(Locale.ROOT,
                    "triggers applied: %d in %.2f s -> %.0f instance transitions/s%n"
                            + "trigger -> downstream runnable, %,d stored instances: p50 %.2f ms, p99 %.2f ms%n"
                            + "trigger -> downstream runnable, %,d stored instances: p50 %.2f ms, p99 %.2f ms (p99 ratio %.2f)%n",
                    batch.size(), seconds, transitionsPerSecond, stored, small[0], small[1], stored + filler, large[0], large[1],
                    large[1] / small[1]);
            System.out.print(table);
            Files.writeString(Path.of(a[6]), String.format(Locale.ROOT,
                    "{\"transitionsPerSecond\":%.1f,\"latencySmall\":{\"instances\":%d,\"p50ms\":%.3f,\"p99ms\":%.3f},"
                            + "\"latencyLarge\":{\"instances\":%d,\"p50ms\":%.3f,\"p99ms\":%.3f}}%n",
                    transitionsPerSecond, stored, small[0], small[1], stored + filler, large[0], large[1]));
        }
    }

    /** Closed loop: one trigger at a time, timed from send to its outcome (committed with the release). */
    private static double[] latency(KafkaProducer<String, String> producer, KafkaConsumer<String, String> outcomes, LocalDate day, int samples)
            throws Exception {
        List<Long> times = times(day);
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            String id = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            producer.send(record(id, FIRST_TRIGGER + (i % NODES), times.get(i / NODES))).get();
            await(outcomes, new HashSet<>(Set.of(id)));
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[samples / 2], ms[Math.min(samples - 1, (int) (samples * 0.99))]};
    }

    private static void await(KafkaConsumer<String, String> outcomes, Set<String> waiting) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.size() + " outcomes missing");
            }
            outcomes.poll(Duration.ofMillis(50)).forEach(r -> waiting.remove(r.key()));
        }
    }

    private static ProducerRecord<String, String> record(String id, long taskId, long time) {
        return new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + taskId + "/" + time,
                "{\"commandId\":\"" + id + "\",\"issuedAt\":\"" + Instant.now() + "\",\"action\":\"TriggerSchedulerTaskInstance\","
                        + "\"taskId\":" + taskId + ",\"env\":\"Prod\",\"triggerTime\":" + time + ",\"principal\":\"bench\"}");
    }

    private static List<Long> times(LocalDate day) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < 144; i++) {
            out.add(day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(10L * i)).toEpochMilli());
        }
        return out;
    }

    /** Adds finished instances of another workflow so the tables hold about a million rows. */
    private static long fill(String jdbc, String user, String password, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement()) {
            s.execute("insert into scheduler.workflow (id, tenant_id, workspace_id, env, name, owner, time_zone, definition, created_at, updated_at) "
                    + "values (990900, 1, 990900, 'Prod', 'filler', 'bench', 'UTC', '{}', now(), now()) on conflict do nothing");
            s.execute("insert into scheduler.dag_instance (id, workflow_id, tenant_id, workspace_id, env, name, dag_type, biz_date, status, operator, create_time, modify_time) "
                    + "values (990900, 990900, 1, 990900, 'Prod', 'filler', 0, date '2020-01-01', 6, 'bench', now(), now()) on conflict do nothing");
            int added = s.executeUpdate("insert into scheduler.task_instance (id, dag_instance_id, node_id, workflow_id, tenant_id, workspace_id, env, "
                    + "node_type, scheduler_type, priority, resource_group, cyc_time, biz_date, status, create_time, modify_time) "
                    + "select nextval('scheduler.entity_id_seq'), 990900, 990900 + n % 100, 990900, 1, 990900, 'Prod', 'SHELL', 'NORMAL', 1, "
                    + "'default', timestamptz '2020-01-01' + n * interval '1 minute', date '2020-01-01' + (n / 1440)::int, 6, now(), now() "
                    + "from generate_series(1, " + rows + ") n");
            s.execute("analyze scheduler.task_instance");
            return added;
        }
    }

    private static long count(String jdbc, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password); Statement s = c.createStatement();
             var rs = s.executeQuery("select count(*) from scheduler.task_instance")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void post(HttpClient http, String url, String token, String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
    }
}
