package dev.triggerlayer.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Scheduler measurements through its real interfaces (trigger commands in, outcomes and instance
 * changes out, all over Kafka), on workflows of HTTP trigger nodes each followed by a shell node
 * running {@code true}, in UTC. Each mode creates, deploys and generates its workflow when it is
 * not there yet, so either runs alone.
 *
 * <ul>
 *   <li>{@code throughput}: 20 node pairs every 10 minutes; yesterday's 2,880 trigger instances,
 *       all sent at once, after six unmeasured bursts of the six days before (other DAG
 *       instances) that let the JIT compiler settle; each trigger is two instance transitions in one transaction (the HTTP trigger
 *       instance → succeeded, its downstream shell instance → runnable, status 3). Meant for a
 *       scheduler started with
 *       {@code scheduler.runner.shell-enabled=false}: no script runs while it is measured.
 *       Afterwards the released shell instances are set to succeeded through the
 *       instance-operations API, so a scheduler that runs scripts would not find them waiting.</li>
 *   <li>{@code latency}: meant for a scheduler with the runner enabled, on a database of its own
 *       (so the throughput's instances do not count). 20 node pairs every 20 minutes; yesterday
 *       and the day before are generated and the deploy adds tomorrow: 8,640 instances. Closed
 *       loop, one trigger at a time: trigger command sent → its outcome read (the downstream is
 *       runnable), → the downstream's status-4 change read off {@code scheduler.instance-changes}
 *       (running), and until its script ended (status 6) before the next trigger. First with
 *       10,000 stored instances, then with 1,000,000: the table is topped up with finished
 *       instances of a filler workflow (scheduled within the last 24 days, so the expiry job
 *       leaves them alone).</li>
 *   <li>{@code createdb}: creates a database (for the latency scheduler) unless it exists.</li>
 * </ul>
 *
 * <p>Arguments: {@code throughput url token bootstrap jdbcUrl user password pgbenchTps jsonOut},
 * {@code latency url token bootstrap jdbcUrl user password warmup samples jsonOut} or
 * {@code createdb jdbcUrl user password name}
 */
public final class SchedulerBench {

    /** Past days whose bursts warm the scheduler up (its JIT compiler settles) before the measured one. */
    private static final int THROUGHPUT_WARMUP_DAYS = 6;
    private static final int SMALL = 10_000, LARGE = 1_000_000;
    private static final long WORKSPACE = 990000, FILLER_WORKFLOW = 990900;
    private static final String OUTCOMES = "scheduler.trigger-outcomes", CHANGES = "scheduler.instance-changes";

    /** A workflow of {@code pairs} HTTP trigger nodes, each followed by a shell node running {@code true}; {@code days} past days generated. */
    private record Shape(long workflow, long firstTrigger, long firstShell, int pairs, String cron, int days) {
    }

    private static final Shape THROUGHPUT = new Shape(990001, 990100, 990200, 20, "00 00/10 * * * ?", THROUGHPUT_WARMUP_DAYS + 1);
    private static final Shape LATENCY = new Shape(990002, 990500, 990600, 20, "00 00/20 * * * ?", 2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One HTTP trigger instance waiting for its trigger, and its downstream shell instance. */
    private record Target(long triggerNode, long cycTime, long downstreamId) {
    }

    private record Db(String url, String user, String password) {
        Connection open() throws Exception {
            return DriverManager.getConnection(url, user, password);
        }
    }

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        if (mode.equals("createdb")) {
            createDatabase(new Db(a[1], a[2], a[3]), a[4]);
            return;
        }
        String url = a[1], token = a[2], kafka = a[3];
        Db db = new Db(a[4], a[5], a[6]);
        HttpClient http = HttpClient.newHttpClient();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        switch (mode) {
            case "throughput" -> {
                ensureWorkflow(http, url, token, today, THROUGHPUT);
                throughput(http, url, token, kafka, db, today, Double.parseDouble(a[7]), Path.of(a[8]));
            }
            case "latency" -> {
                ensureWorkflow(http, url, token, today, LATENCY);
                latency(kafka, db, today, Integer.parseInt(a[7]), Integer.parseInt(a[8]), Path.of(a[9]));
            }
            default -> throw new IllegalArgumentException("mode must be throughput, latency or createdb: " + mode);
        }
    }

    // ---------------------------------------------------------------- throughput

    private static void throughput(HttpClient http, String url, String token, String kafka, Db db, LocalDate today,
                                   double pgbenchTps, Path out) throws Exception {
        List<List<Target>> warmups = new ArrayList<>();
        for (int d = THROUGHPUT_WARMUP_DAYS + 1; d > 1; d--) {
            warmups.add(waiting(db, THROUGHPUT, today.minusDays(d), today.minusDays(d - 1)));
        }
        List<Target> measured = waiting(db, THROUGHPUT, today.minusDays(1), today);
        if (warmups.stream().anyMatch(List::isEmpty) || measured.isEmpty()) {
            throw new IllegalStateException("too few trigger instances wait for a trigger: "
                    + warmups.stream().map(List::size).toList() + " and " + measured.size());
        }
        try (KafkaProducer<String, String> producer = producer(kafka);
             KafkaConsumer<String, String> outcomes = consumer(kafka, OUTCOMES)) {
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                settle(s);
            }
            // Warm-up bursts on other days, so on other DAG instances than the measured burst: a
            // short warm-up leaves the JIT compiler busy during the measurement (on 2 cores it took
            // half of the scheduler's CPU), which is not the steady state of a running scheduler.
            for (List<Target> warmup : warmups) {
                long began = System.nanoTime();
                burst(producer, outcomes, warmup);
                System.out.printf(Locale.ROOT, "warm-up burst: %d triggers -> %.0f instance transitions/s%n",
                        warmup.size(), 2.0 * warmup.size() / ((System.nanoTime() - began) / 1e9));
            }
            try (Connection c = db.open(); Statement s = c.createStatement()) {
                settle(s);
            }
            long start = System.nanoTime();
            int triggered = burst(producer, outcomes, measured);
            double seconds = (System.nanoTime() - start) / 1e9;
            double transitionsPerSecond = 2.0 * measured.size() / seconds;
            System.out.printf(Locale.ROOT, "triggers applied: %d (%d triggered) in %.2f s -> %.0f instance transitions/s%n",
                    measured.size(), triggered, seconds, transitionsPerSecond);
            System.out.printf(Locale.ROOT, "ratio transitions/s : pgbench tps = %.2f (goal >= 0.5)%n", transitionsPerSecond / pgbenchTps);
            if (triggered != measured.size()) {
                throw new IllegalStateException((measured.size() - triggered) + " triggers were not TRIGGERED (see the outcomes)");
            }
            Files.writeString(out, String.format(Locale.ROOT,
                    "{\"triggers\":%d,\"seconds\":%.3f,\"transitionsPerSecond\":%.1f,\"pgbenchTps\":%.1f,\"ratio\":%.3f,\"runner\":\"%s\"}%n",
                    measured.size(), seconds, transitionsPerSecond, pgbenchTps, transitionsPerSecond / pgbenchTps,
                    "shell-enabled=false"));
        }
        // The released shell instances wait in status 3; a scheduler that runs scripts must not find them.
        setSuccess(http, url, token, waitingShells(db, THROUGHPUT));
    }

    /** Sends every target's trigger at once; returns how many outcomes were TRIGGERED. */
    private static int burst(KafkaProducer<String, String> producer, KafkaConsumer<String, String> outcomes, List<Target> targets) {
        Map<String, Boolean> waiting = new HashMap<>();
        for (Target t : targets) {
            String id = UUID.randomUUID().toString();
            waiting.put(id, Boolean.TRUE);
            producer.send(command(id, t));
        }
        producer.flush();
        int triggered = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.size() + " outcomes missing");
            }
            for (ConsumerRecord<String, String> r : outcomes.poll(Duration.ofMillis(50))) {
                if (waiting.remove(r.key()) != null && triggered(r.value())) {
                    triggered++;
                }
            }
        }
        return triggered;
    }

    // ---------------------------------------------------------------- latency

    private static void latency(String kafka, Db db, LocalDate today, int warmup, int samples, Path out) throws Exception {
        // Whatever an earlier run left runnable is run now, before the samples, not beside them.
        awaitNothingRunning(db, LATENCY);
        List<Target> targets = waiting(db, LATENCY, today.minusDays(LATENCY.days()), today);
        if (targets.size() < 2 * (warmup + samples)) {
            throw new IllegalStateException("need " + 2 * (warmup + samples) + " waiting trigger instances, " + targets.size() + " wait");
        }
        try (KafkaProducer<String, String> producer = producer(kafka);
             KafkaConsumer<String, String> consumer = consumer(kafka, OUTCOMES, CHANGES)) {
            long small = fill(db, SMALL);
            Latency smallResult = closedLoop(producer, consumer, targets.subList(0, warmup + samples), warmup, small);
            long large = fill(db, LARGE);
            Latency largeResult = closedLoop(producer, consumer, targets.subList(warmup + samples, 2 * (warmup + samples)), warmup, large);

            for (Latency l : List.of(smallResult, largeResult)) {
                System.out.printf(Locale.ROOT, "%,d stored instances, %d samples (after %d unmeasured):%n", l.instances, samples, warmup);
                System.out.printf(Locale.ROOT, "  trigger -> downstream runnable (outcome read)         p50 %6.1f ms  p99 %6.1f ms%n",
                        l.runnable[0], l.runnable[1]);
                System.out.printf(Locale.ROOT, "  trigger -> downstream running (status-4 change read)  p50 %6.1f ms  p99 %6.1f ms%n",
                        l.running[0], l.running[1]);
                System.out.printf(Locale.ROOT, "  trigger -> its begin_running_time (scheduler clock)   p50 %6.1f ms  p99 %6.1f ms%n",
                        l.runningBegin[0], l.runningBegin[1]);
                System.out.printf(Locale.ROOT, "  trigger -> downstream succeeded (status-6 change read) p50 %6.1f ms  p99 %6.1f ms%n",
                        l.finished[0], l.finished[1]);
            }
            System.out.printf(Locale.ROOT, "1 M : 10 k p99 ratio: running %.2f, runnable %.2f (goal <= 1.2); p99 running at 10 k %.1f ms (goal <= 50 ms)%n",
                    largeResult.running[1] / smallResult.running[1], largeResult.runnable[1] / smallResult.runnable[1], smallResult.running[1]);
            Files.writeString(out, String.format(Locale.ROOT, "{\"samples\":%d,\"warmup\":%d,\"script\":\"true\",\"small\":%s,\"large\":%s}%n",
                    samples, warmup, smallResult.json(), largeResult.json()));
        }
    }

    /** Per measurement: {p50, p99} in ms of each step. */
    private record Latency(long instances, double[] runnable, double[] running, double[] runningBegin, double[] finished) {
        String json() {
            return String.format(Locale.ROOT, "{\"instances\":%d,\"runnable\":%s,\"running\":%s,\"runningBegin\":%s,\"finished\":%s}",
                    instances, p(runnable), p(running), p(runningBegin), p(finished));
        }

        private static String p(double[] v) {
            return String.format(Locale.ROOT, "{\"p50ms\":%.3f,\"p99ms\":%.3f}", v[0], v[1]);
        }
    }

    /** One trigger at a time; the first {@code warmup} are not counted. */
    private static Latency closedLoop(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer, List<Target> targets,
                                      int warmup, long instances) throws Exception {
        int n = targets.size() - warmup;
        double[] runnable = new double[n], running = new double[n], runningBegin = new double[n], finished = new double[n];
        for (int i = 0; i < targets.size(); i++) {
            double[] s = sample(producer, consumer, targets.get(i));
            if (i >= warmup) {
                runnable[i - warmup] = s[0];
                running[i - warmup] = s[1];
                runningBegin[i - warmup] = s[2];
                finished[i - warmup] = s[3];
            }
        }
        return new Latency(instances, percentiles(runnable), percentiles(running), percentiles(runningBegin), percentiles(finished));
    }

    /**
     * Sends one trigger and reads until its downstream instance succeeded. Returns, in ms from the
     * send: outcome read, status-4 change read, begin_running_time (epoch ms, this machine's clock
     * in both processes), status-6 change read.
     */
    private static double[] sample(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer, Target t) throws Exception {
        String id = UUID.randomUUID().toString(), downstream = String.valueOf(t.downstreamId());
        long sentWall = System.currentTimeMillis(), sent = System.nanoTime();
        producer.send(command(id, t)).get();
        double runnable = -1, running = -1, runningBegin = -1, finished = -1;
        long deadline = sent + Duration.ofMinutes(2).toNanos();
        while (runnable < 0 || running < 0 || finished < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + t.downstreamId() + " did not run and succeed within 2 minutes of its trigger");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                double ms = (System.nanoTime() - sent) / 1e6;
                if (r.topic().equals(OUTCOMES)) {
                    if (id.equals(r.key())) {
                        if (!triggered(r.value())) {
                            throw new IllegalStateException("trigger of " + t + " was not TRIGGERED: " + r.value());
                        }
                        runnable = ms;
                    }
                } else if (downstream.equals(r.key())) {
                    JsonNode change = JSON.readTree(r.value());
                    int status = change.path("status").asInt();
                    if (status == 4 && running < 0) {
                        running = ms;
                        runningBegin = change.path("beginRunningTime").asLong() - sentWall;
                    } else if (status == 6) {
                        finished = ms;
                    } else if (status == 5) {
                        throw new IllegalStateException("the script of instance " + downstream + " failed: " + r.value());
                    }
                }
            }
        }
        return new double[] {runnable, running, runningBegin, finished};
    }

    // ---------------------------------------------------------------- set-up

    private static void ensureWorkflow(HttpClient http, String url, String token, LocalDate today, Shape w) throws Exception {
        HttpResponse<String> existing = send(http, url, token, "GET", "/api/v1/workflows/" + w.workflow(), null);
        if (existing.statusCode() == 404) {
            StringJoiner nodes = new StringJoiner(",");
            for (int i = 0; i < w.pairs(); i++) {
                nodes.add("{\"id\":" + (w.firstTrigger() + i) + ",\"name\":\"t" + i + "\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"" + w.cron() + "\"}");
                nodes.add("{\"id\":" + (w.firstShell() + i) + ",\"name\":\"s" + i + "\",\"type\":\"SHELL\",\"script\":\"true\",\"cron\":\"" + w.cron()
                        + "\",\"upstream\":[" + (w.firstTrigger() + i) + "]}");
            }
            post(http, url, token, "/api/v1/workflows", "{\"id\":" + w.workflow() + ",\"tenantId\":1,\"workspaceId\":" + WORKSPACE
                    + ",\"env\":\"Prod\",\"name\":\"bench_" + w.workflow() + "\",\"owner\":\"bench\",\"timeZone\":\"UTC\",\"nodes\":[" + nodes + "]}");
            post(http, url, token, "/api/v1/workflows/" + w.workflow() + "/deploy", "");
        } else if (existing.statusCode() >= 300) {
            throw new IllegalStateException("GET workflow -> " + existing.statusCode() + " " + existing.body());
        }
        for (int d = 1; d <= w.days(); d++) {
            post(http, url, token, "/api/v1/workflows/" + w.workflow() + "/generate?date=" + today.minusDays(d), ""); // idempotent
        }
    }

    /** HTTP trigger instances scheduled in [from, to) that wait for their trigger, with their downstream instance, in time order. */
    private static List<Target> waiting(Db db, Shape w, LocalDate from, LocalDate to) throws Exception {
        List<Target> out = new ArrayList<>();
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement(
                "select t.node_id, t.cyc_time, d.instance_id from scheduler.task_instance t "
                        + "join scheduler.task_instance_dependency d on d.upstream_instance_id = t.id "
                        + "where t.workflow_id = ? and t.node_type = 'HTTP_TRIGGER' and t.status = 2 and t.wait_trigger "
                        + "and t.trigger_command_id is null and t.cyc_time >= ? and t.cyc_time < ? order by t.cyc_time, t.node_id")) {
            s.setLong(1, w.workflow());
            s.setTimestamp(2, Timestamp.from(from.atStartOfDay().toInstant(ZoneOffset.UTC)));
            s.setTimestamp(3, Timestamp.from(to.atStartOfDay().toInstant(ZoneOffset.UTC)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Target(rs.getLong(1), rs.getTimestamp(2).getTime(), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    private static List<Long> waitingShells(Db db, Shape w) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement(
                "select id from scheduler.task_instance where workflow_id = ? and status = 3 order by id")) {
            s.setLong(1, w.workflow());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void awaitNothingRunning(Db db, Shape w) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection c = db.open(); PreparedStatement s = c.prepareStatement("select count(*) from scheduler.task_instance where status in (3, 4) "
                + "and workflow_id = ?")) {
            s.setLong(1, w.workflow());
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("instances of the bench workflow still wait or run after 10 minutes (is the runner enabled?)");
    }

    private static void setSuccess(HttpClient http, String url, String token, List<Long> ids) throws Exception {
        for (int i = 0; i < ids.size(); i += 500) {
            StringJoiner batch = new StringJoiner(",");
            ids.subList(i, Math.min(ids.size(), i + 500)).forEach(id -> batch.add(String.valueOf(id)));
            post(http, url, token, "/api/v1/instance-operations/set-success", "{\"instanceIds\":[" + batch + "]}");
        }
    }

    /**
     * Tops the task instance table up to {@code target} rows with finished shell instances of a
     * filler workflow (100 nodes, scheduled within the last 24 days, so none is old enough for the
     * expiry job), then {@link #settle settles} the database the same way before either size is
     * measured. Returns the rows stored.
     */
    private static long fill(Db db, long target) throws Exception {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            long stored = count(s, "select count(*) from scheduler.task_instance");
            if (stored < target) {
                long offset = count(s, "select count(*) from scheduler.task_instance where workflow_id = " + FILLER_WORKFLOW);
                s.execute("insert into scheduler.workflow (id, tenant_id, workspace_id, env, name, owner, time_zone, definition, created_at, updated_at) "
                        + "values (" + FILLER_WORKFLOW + ", 1, " + FILLER_WORKFLOW + ", 'Prod', 'filler', 'bench', 'UTC', '{}', now(), now()) on conflict do nothing");
                s.execute("insert into scheduler.dag_instance (id, workflow_id, tenant_id, workspace_id, env, name, dag_type, biz_date, status, operator, create_time, modify_time) "
                        + "values (" + FILLER_WORKFLOW + ", " + FILLER_WORKFLOW + ", 1, " + FILLER_WORKFLOW + ", 'Prod', 'filler', 0, date '2020-01-01', 6, 'bench', now(), now()) "
                        + "on conflict do nothing");
                s.executeUpdate("insert into scheduler.task_instance (id, dag_instance_id, node_id, workflow_id, tenant_id, workspace_id, env, "
                        + "node_type, scheduler_type, priority, resource_group, cyc_time, biz_date, status, begin_running_time, finish_time, "
                        + "create_time, modify_time) "
                        + "select nextval('scheduler.entity_id_seq'), " + FILLER_WORKFLOW + ", " + FILLER_WORKFLOW + " + n % 100, " + FILLER_WORKFLOW
                        + ", 1, " + FILLER_WORKFLOW + ", 'Prod', 'SHELL', 'NORMAL', 1, 'default', x.cyc, (x.cyc - interval '1 day')::date, 6, "
                        + "x.cyc, x.cyc + interval '1 second', now(), now() "
                        + "from generate_series(" + (offset + 1) + ", " + (offset + target - stored) + ") n, "
                        + "lateral (select date_trunc('day', now()) - interval '24 days' + n * interval '2 seconds' as cyc) x");
            }
            settle(s);
            return count(s, "select count(*) from scheduler.task_instance");
        }
    }

    /**
     * Waits until the outbox is drained (the set-up's changes relayed), then {@code VACUUM ANALYZE}
     * and {@code CHECKPOINT}: the measurement neither races autovacuum's first ANALYZE of the rows
     * the set-up wrote (plans made on a table's stale statistics) nor pays for writing them out.
     */
    private static void settle(Statement s) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count(s, "select count(*) from scheduler.outbox") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        s.execute("vacuum analyze");
        s.execute("checkpoint");
    }

    private static void createDatabase(Db db, String name) throws Exception {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            if (count(s, "select count(*) from pg_database where datname = '" + name.replace("'", "''") + "'") == 0) {
                s.execute("create database \"" + name.replace("\"", "") + "\"");
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static KafkaProducer<String, String> producer(String kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer());
    }

    /** Assigned to every partition of the topics, positioned at their ends (resolved now, before anything is sent). */
    private static KafkaConsumer<String, String> consumer(String kafka, String... topics) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        return consumer;
    }

    private static boolean triggered(String outcome) {
        return outcome.contains("\"outcome\":\"TRIGGERED\"");
    }

    private static ProducerRecord<String, String> command(String id, Target t) {
        long taskId = t.triggerNode(), time = t.cycTime();
        return new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + taskId + "/" + time,
                "{\"commandId\":\"" + id + "\",\"issuedAt\":\"" + Instant.now() + "\",\"action\":\"TriggerSchedulerTaskInstance\","
                        + "\"taskId\":" + taskId + ",\"env\":\"Prod\",\"triggerTime\":" + time + ",\"principal\":\"bench\"}");
    }

    private static double[] percentiles(double[] values) {
        double[] ms = values.clone();
        Arrays.sort(ms);
        return new double[] {ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))]};
    }

    private static void post(HttpClient http, String url, String token, String path, String json) throws Exception {
        HttpResponse<String> r = send(http, url, token, "POST", path, json);
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
    }

    private static HttpResponse<String> send(HttpClient http, String url, String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("X-Operator", "bench");
        b = json == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
