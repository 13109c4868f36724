package dev.triggerlayer.e2e;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.testsupport.BrokerProcess;
import dev.triggerlayer.testsupport.PackagedService;
import dev.triggerlayer.testsupport.SharedServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Availability under crashes (issue 15): 1,000 signed triggers from eight clients, each retried
 * with its ClientToken on any error as the command-line trigger does, while the scheduler is
 * killed with SIGKILL twice, the gateway and the publisher once, and the Kafka broker restarts
 * once; every victim is started again at once. Before that the broker is frozen and the HTTP
 * endpoints must still answer in time. Everything runs as separate processes, as in production.
 */
class ChaosIT {

    static final long WORKSPACE_B = 2002, TENANT_B = 1002, FLOW = 5700, TRIGGER = 5701, AFTER = 5702;
    static final int TRIGGERS = 1000, CLIENTS = 8;
    static final Set<String> RETRYABLE = Set.of("ServiceUnavailable", "Throttling.User", "InternalError");

    record Kill(String victim, long killedAt, long restartedAt) {
    }

    private final ConcurrentLinkedQueue<Long> answeredAt = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final Map<Integer, String> refused = new ConcurrentHashMap<>();
    private final List<Kill> kills = new ArrayList<>();
    private volatile long brokerBootMillis;

    @Test
    void everyTriggerAppliesOnceAndEveryScriptRunsThroughKillsOfEveryServiceAndABrokerRestart() throws Exception {
        Path work = TriggerLayer.repositoryRoot().resolve("e2e-tests/target/chaos");
        deleteTree(work.resolve("kafka")); // a rerun starts from an empty broker, as from a fresh clone
        BrokerProcess broker = new BrokerProcess(work.resolve("kafka"), work.resolve("logs/kafka.log")).start(Duration.ofSeconds(120));
        TriggerLayer system = new TriggerLayer("chaos", broker.bootstrapServers(), Map.of(
                "trigger-gateway", Map.of("gateway.rate-limit.permits-per-second", "100000", "gateway.rate-limit.burst", "100000")));
        try {
            Properties keys = system.credentials();
            Path runs = system.scriptFiles.resolve("chaos-runs.txt");
            Files.createFile(runs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
            Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rw-rw-rw-"));
            LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":"
                    + WORKSPACE_B + ",\"env\":\"Prod\",\"name\":\"chaos\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                    + "{\"id\":" + TRIGGER + ",\"name\":\"chaos_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00/5 * * * ?\"},"
                    + "{\"id\":" + AFTER + ",\"name\":\"chaos_after\",\"type\":\"SHELL\",\"cron\":\"00 00/5 * * * ?\",\"upstream\":[" + TRIGGER + "],"
                    + "\"script\":\"echo \\\"$TRIGGERLAYER_INSTANCE_ID $TRIGGERLAYER_ATTEMPT\\\" >> \\\"$RUNS\\\"\","
                    + "\"parameters\":{\"RUNS\":\"" + runs + "\"}}]}");
            system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/deploy", "");
            // Four past days of a node every five minutes: 1,152 instances whose time has come, waiting for their trigger.
            LocalDate first = yesterday.minusDays(3);
            for (LocalDate d = first; !d.isAfter(yesterday); d = d.plusDays(1)) {
                system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + d, "");
            }
            long firstMinute = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

            stalledBrokerLeavesHttpAnswering(system, broker, keys, firstMinute + (4 * 288 - 1) * 300_000L);

            Thread monkey = new Thread(() -> unleash(system, broker), "chaos-monkey");
            monkey.start();
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> client(system, keys, next, firstMinute), "chaos-client-" + c);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) {
                t.join(Duration.ofMinutes(10).toMillis());
            }
            monkey.join(Duration.ofMinutes(2).toMillis());
            long triggeringMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(Map.of(), refused, "no trigger was refused");
            assertEquals(TRIGGERS, answered.get(), "every trigger was answered Success");
            assertEquals(5, kills.size(), "every kill happened: " + kills);

            SharedServers.Postgres pg = SharedServers.postgres();
            try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password())) {
                await().atMost(Duration.ofMinutes(3)).until(() -> count(db, "select count(*) from scheduler.task_instance where node_id = "
                        + AFTER + " and status = 6") == TRIGGERS + 1);
                checkAppliedOnceAndRanOncePerAttempt(db, runs);
                checkEvents(db, system);
            }
            printFigures(triggeringMillis);
            for (Kill k : kills) {
                // The broker's own start (log recovery after SIGKILL) is the broker's; ours begins when it takes clients again.
                long back = k.victim().equals("kafka") ? k.restartedAt() + brokerBootMillis * 1_000_000 : k.restartedAt();
                long gap = firstAnswerAfter(back) - back;
                assertTrue(gap <= 15_000_000_000L, k.victim() + ": no trigger answered for " + gap / 1_000_000 + " ms after its restart");
            }
        } finally {
            system.close();
            broker.close();
        }
    }

    /** Issue 15, item 3: with the broker frozen, a trigger gets a retryable answer in time and the read APIs still answer. */
    private void stalledBrokerLeavesHttpAnswering(TriggerLayer system, BrokerProcess broker, Properties keys, long triggerTime) throws Exception {
        broker.freeze();
        try {
            long t0 = System.nanoTime();
            String code;
            try {
                trigger(client(system, keys), "stalled", triggerTime);
                code = "Success";
            } catch (TeaException e) {
                code = e.getCode();
            }
            long triggerMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("ServiceUnavailable", code, "a retryable answer while the broker stalls");
            assertTrue(triggerMillis < 8_000, "answered after " + triggerMillis + " ms (outcome timeout 4 s)");
            long t1 = System.nanoTime();
            JsonNode page = system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE_B + "&WorkflowId=" + FLOW + "&PageSize=1", null);
            assertTrue(page.path("PagingInfo").path("TotalCount").asLong() > 0);
            long readMillis = (System.nanoTime() - t1) / 1_000_000;
            assertTrue(readMillis < 3_000, "the scheduler's API answered after " + readMillis + " ms");
            System.out.println("chaos: broker frozen: trigger answered ServiceUnavailable in " + triggerMillis + " ms, a read in " + readMillis + " ms");
        } finally {
            broker.resume();
        }
        // The stalled command was still published when the broker came back: the same ClientToken gets its outcome.
        Client client = client(system, keys);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> Boolean.TRUE.equals(trigger(client, "stalled", triggerTime).get("Success")));
    }

    /** One client: takes the next trigger, sends it with its ClientToken until it is answered, as the CLI does. */
    private void client(TriggerLayer system, Properties keys, AtomicInteger next, long firstMinute) {
        Client client = client(system, keys);
        for (int i = next.getAndIncrement(); i < TRIGGERS; i = next.getAndIncrement()) {
            String token = "chaos-" + i;
            long time = firstMinute + i * 300_000L;
            for (int attempt = 1; ; attempt++) {
                try {
                    Map<String, Object> body = trigger(client, token, time);
                    if (Boolean.TRUE.equals(body.get("Success"))) {
                        answeredAt.add(System.nanoTime());
                        answered.incrementAndGet();
                    } else {
                        refused.put(i, String.valueOf(body));
                    }
                    break;
                } catch (TeaException e) {
                    if (!RETRYABLE.contains(e.getCode())) {
                        refused.put(i, e.getCode() + ": " + e.getMessage());
                        break;
                    }
                } catch (Exception e) {
                    // connection refused or reset: the gateway is restarting
                }
                retries.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(Math.min(1000, 100L * attempt)).toNanos()); // the client's own backoff
            }
        }
    }

    /** Kills one service (or the broker) each time another 140 triggers were answered, and starts it again at once. */
    private void unleash(TriggerLayer system, BrokerProcess broker) {
        String[] victims = {"scheduler-service", "trigger-gateway", "event-publisher", "scheduler-service", "kafka"};
        for (int k = 0; k < victims.length; k++) {
            int threshold = 120 + 140 * k;
            await().atMost(Duration.ofMinutes(5)).until(() -> answered.get() >= threshold);
            long killed = System.nanoTime();
            if (victims[k].equals("kafka")) {
                broker.kill();
                long restarted = System.nanoTime();
                broker.start(Duration.ofSeconds(120));
                brokerBootMillis = (System.nanoTime() - restarted) / 1_000_000;
                kills.add(new Kill(victims[k], killed, restarted));
            } else {
                PackagedService service = system.services.get(victims[k]);
                service.kill();
                long restarted = System.nanoTime();
                service.start();
                kills.add(new Kill(victims[k], killed, restarted));
            }
        }
    }

    private void checkAppliedOnceAndRanOncePerAttempt(Connection db, Path runs) throws Exception {
        // Exactly once: one TRIGGERED command per instance, and each triggered instance succeeded once.
        assertEquals(TRIGGERS + 1, count(db, "select count(*) from scheduler.trigger_command c join scheduler.task_instance t on t.id = c.instance_id "
                + "where t.node_id = " + TRIGGER + " and c.outcome = 'TRIGGERED'"));
        assertEquals(TRIGGERS + 1, count(db, "select count(distinct c.instance_id) from scheduler.trigger_command c join scheduler.task_instance t "
                + "on t.id = c.instance_id where t.node_id = " + TRIGGER + " and c.outcome = 'TRIGGERED'"));
        assertEquals(TRIGGERS + 1, count(db, "select count(*) from scheduler.task_instance where node_id = " + TRIGGER + " and status = 6"));
        // Every script ran once per attempt, and every downstream instance ran.
        Map<String, Integer> perAttempt = new HashMap<>();
        Set<String> instances = new HashSet<>();
        for (String line : Files.readAllLines(runs)) {
            perAttempt.merge(line.trim(), 1, Integer::sum);
            instances.add(line.trim().split(" ")[0]);
        }
        assertTrue(perAttempt.values().stream().allMatch(n -> n == 1), "an attempt ran twice: "
                + perAttempt.entrySet().stream().filter(e -> e.getValue() > 1).toList());
        assertEquals(TRIGGERS + 1, instances.size(), "every downstream instance ran its script");
    }

    /** Every status change of the triggered instances is on the tenant's bus, valid, in order per instance. */
    private void checkEvents(Connection db, TriggerLayer system) throws Exception {
        Map<Long, Integer> expectedLength = new HashMap<>();
        try (ResultSet r = db.createStatement().executeQuery("select t.id, t.node_id, (select count(*) from scheduler.task_instance_run x "
                + "where x.instance_id = t.id) as runs from scheduler.task_instance t where t.workflow_id = " + FLOW + " and t.status = 6")) {
            while (r.next()) {
                // A trigger node: waiting (2), succeeded (6). A shell node: 3, then 4 per run with a 3 between runs, then 6.
                expectedLength.put(r.getLong(1), r.getLong(2) == TRIGGER ? 2 : 2 * r.getInt(3) + 1);
            }
        }
        Map<Long, List<Integer>> statuses = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        int events = 0;
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            statuses.clear();
            ids.clear();
            for (JsonNode e : bus(system)) {
                if (!e.path("type").asText().contains("InstanceStatusChanges") || !expectedLength.containsKey(e.path("data").path("taskId").asLong())) {
                    continue;
                }
                if (ids.add(e.path("id").asText())) {
                    statuses.computeIfAbsent(e.path("data").path("taskId").asLong(), k -> new ArrayList<>()).add(e.path("data").path("status").asInt());
                }
            }
            return expectedLength.entrySet().stream().allMatch(x -> statuses.getOrDefault(x.getKey(), List.of()).size() >= x.getValue());
        });
        for (JsonNode e : bus(system)) {
            if (!e.path("type").asText().contains("InstanceStatusChanges") || !expectedLength.containsKey(e.path("data").path("taskId").asLong())) {
                continue;
            }
            events++;
            List<String> problems = EventSchemas.problems(e);
            assertTrue(problems.isEmpty(), e + ": " + problems);
        }
        duplicates = events - ids.size();
        for (var x : expectedLength.entrySet()) {
            List<Integer> seen = statuses.get(x.getKey());
            assertEquals(x.getValue(), seen.size(), "instance " + x.getKey() + ": " + seen);
            assertEquals(6, seen.get(seen.size() - 1), "instance " + x.getKey() + " ends succeeded: " + seen);
            for (int i = 0; i < seen.size() - 1; i++) {
                int a = seen.get(i), b = seen.get(i + 1);
                boolean allowed = (a == 2 && b == 6) || (a == 3 && b == 4) || (a == 4 && (b == 3 || b == 6));
                assertTrue(allowed, "instance " + x.getKey() + " out of order: " + seen);
            }
        }
        System.out.println("chaos: " + ids.size() + " status-change events of " + expectedLength.size() + " instances on the bus, all valid and in order; "
                + duplicates + " redelivered copies (same event id)");
    }

    private void printFigures(long triggeringMillis) throws Exception {
        StringBuilder out = new StringBuilder("chaos: " + TRIGGERS + " triggers answered in " + triggeringMillis + " ms with " + retries.get()
                + " client retries; gaps after each kill (kill -> first answer, restart -> first answer):");
        for (Kill k : kills) {
            long first = firstAnswerAfter(k.restartedAt());
            out.append(String.format(" %s %d ms / %d ms;", k.victim(), (first - k.killedAt()) / 1_000_000, (first - k.restartedAt()) / 1_000_000));
        }
        System.out.println(out.append(" (the broker itself took ").append(brokerBootMillis).append(" ms to start)"));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private long firstAnswerAfter(long nanos) {
        return answeredAt.stream().filter(t -> t >= nanos).min(Long::compare).orElse(Long.MAX_VALUE);
    }

    private static List<JsonNode> bus(TriggerLayer system) throws Exception {
        String topic = "tenant." + TENANT_B + ".bus.default";
        return Topics.readAll(system.kafka, List.of(topic), Duration.ofSeconds(30)).getOrDefault(topic, List.of());
    }

    private static long count(Connection db, String sql) throws Exception {
        try (ResultSet r = db.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Client client(TriggerLayer system, Properties keys) {
        try {
            return new Client(new Config().setAccessKeyId(keys.getProperty("TENANT_B_ACCESS_KEY_ID"))
                    .setAccessKeySecret(keys.getProperty("TENANT_B_ACCESS_KEY_SECRET")).setEndpoint("127.0.0.1:" + system.gateway)
                    .setProtocol("HTTP").setSignatureAlgorithm("v2").setConnectTimeout(2000).setReadTimeout(15000));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(Client client, String token, long time) throws Exception {
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP").setMethod("POST")
                .setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        Map<String, Object> body = new LinkedHashMap<>(Map.of("TaskId", TRIGGER, "EnvType", "Prod", "TriggerTime", time, "ClientToken", token));
        return (Map<String, Object>) client.callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions().setAutoretry(false)
                .setConnectTimeout(2000).setReadTimeout(15000)).get("body");
    }
}
