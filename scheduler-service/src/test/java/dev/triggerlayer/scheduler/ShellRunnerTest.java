package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.instance.engine.Ticker;
import dev.triggerlayer.scheduler.run.service.RunDispatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shell nodes run: logs, parameters, retries, time limits, resource-group slots in priority order, kill. */
@QuarkusTest
@TestProfile(RunnerProfile.class)
class ShellRunnerTest {

    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");
    static final String AT_EIGHT = "00 00 08 * * ?";
    static final ObjectMapper JSON = new ObjectMapper();

    static KafkaCompanion kafka;
    static TopicReader outcomes;

    @Inject
    Ticker ticker;

    @Inject
    RunDispatcher dispatcher;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    Path dir;

    @BeforeEach
    void fresh() throws IOException {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            outcomes = new TopicReader(bootstrap, "scheduler.trigger-outcomes");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        dir = Files.createTempDirectory("runner-test");
        // The scripts (another user when the tests run as root) write their markers here.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            outcomes.close();
            kafka.close();
        }
    }

    @Test
    void theSeedFlowEndsWithTheShellInstanceSucceededAndItsLogSayingDataWorks() {
        long trigger = uniqueId(), shell = uniqueId();
        deploy(workspace, "UTC", List.of(node(trigger, "HTTP_TRIGGER", AT_EIGHT, "IMMEDIATE"),
                node(shell, "SHELL", AT_EIGHT, "IMMEDIATE", trigger)));
        dueNow();
        UUID command = UUID.randomUUID();
        Scenario.send(kafka, command, trigger, EIGHT, null);
        assertEquals("TRIGGERED", outcomes.await(command.toString(), v -> true).path("outcome").asText());

        awaitStatus(shell, "Success");
        long id = instance(workspace, shell, EIGHT).path("Id").asLong();
        JsonNode log = get("/api/v1/instances/" + id + "/log");
        assertTrue(log.path("log").asText().contains("DataWorks"), log.toString());
        assertEquals(0, log.path("exitCode").asInt());
        assertEquals("SUCCEEDED", log.path("outcome").asText());
        assertEquals(1, instance(workspace, shell, EIGHT).path("RunNumber").asInt());
    }

    @Test
    void parametersArriveAsEnvironmentVariablesNeverAsScriptText() {
        long shell = uniqueId();
        Path marker = dir.resolve("injected");
        Map<String, Object> n = shellNode(shell, "echo \"greeting=$GREETING bizdate=$TRIGGERLAYER_BIZ_DATE\"");
        n.put("parameters", Map.of("GREETING", "$(touch " + marker + ")hello"));
        deploy(workspace, "UTC", List.of(n));
        dueNow();
        awaitStatus(shell, "Success");
        String log = get("/api/v1/instances/" + instance(workspace, shell, EIGHT).path("Id").asLong() + "/log").path("log").asText();
        assertTrue(log.contains("greeting=$(touch " + marker + ")hello bizdate=20261121"), log);
        assertFalse(Files.exists(marker), "a parameter value was executed");
    }

    @Test
    void schedulerTypesDecideAtStartPauseFailsAndDryRunsSucceedWithoutRunning() throws IOException {
        long paused = uniqueId(), afterPaused = uniqueId(), dryRun = uniqueId(), afterDryRun = uniqueId();
        Path runs = dir.resolve("runs.txt");
        Map<String, Object> p = shellNode(paused, "echo paused >> \"$RUNS\"");
        p.put("schedulerType", "PAUSE");
        Map<String, Object> s = shellNode(dryRun, "echo dry-run >> \"$RUNS\"");
        s.put("schedulerType", "SKIP");
        Map<String, Object> afterP = shellNode(afterPaused, "echo after-paused >> \"$RUNS\"");
        afterP.put("upstream", List.of(paused));
        Map<String, Object> afterS = shellNode(afterDryRun, "echo after-dry-run >> \"$RUNS\"");
        afterS.put("upstream", List.of(dryRun));
        for (Map<String, Object> n : List.of(p, s, afterP, afterS)) {
            n.put("parameters", Map.of("RUNS", runs.toString()));
        }
        deploy(workspace, "UTC", List.of(p, s, afterP, afterS));
        dueNow();

        awaitStatus(afterDryRun, "Success");
        assertEquals("Failure", instance(workspace, paused, EIGHT).path("Status").asText());
        assertEquals("Success", instance(workspace, dryRun, EIGHT).path("Status").asText());
        // A failed upstream holds its downstream; neither start type ran its own script.
        assertEquals("NotRun", instance(workspace, afterPaused, EIGHT).path("Status").asText());
        assertEquals(List.of("after-dry-run"), Files.readAllLines(runs));
        for (long node : new long[] {paused, dryRun}) {
            long id = instance(workspace, node, EIGHT).path("Id").asLong();
            assertEquals(0, get("/api/v1/instances/" + id + "/runs").size(), "no run recorded for " + node);
        }
    }

    @Test
    void aFailingScriptIsRetriedAfterItsDelayThenFails() throws IOException {
        long shell = uniqueId();
        Path runs = dir.resolve("runs.txt");
        Map<String, Object> n = shellNode(shell, "echo \"attempt $TRIGGERLAYER_ATTEMPT\" >> \"$RUNS\"; echo broken; exit 3");
        n.put("retries", 2);
        n.put("retryIntervalSeconds", 120);
        n.put("parameters", Map.of("RUNS", runs.toString()));
        deploy(workspace, "UTC", List.of(n));
        dueNow();

        for (int attempt = 1; attempt <= 2; attempt++) {
            int done = attempt;
            await().atMost(Duration.ofSeconds(20)).until(() -> lines(runs) == done
                    && instance(workspace, shell, EIGHT).path("Status").asText().equals("WaitResource"));
            // The retry waits for its delay (on the scheduler's clock), then runs.
            assertEquals(done, lines(runs));
            CLOCK.advance(Duration.ofSeconds(120));
            dispatcher.wake();
        }
        awaitStatus(shell, "Failure");
        assertEquals(List.of("attempt 1", "attempt 2", "attempt 3"), Files.readAllLines(runs));
        long id = instance(workspace, shell, EIGHT).path("Id").asLong();
        JsonNode all = get("/api/v1/instances/" + id + "/runs");
        assertEquals(3, all.size());
        all.forEach(r -> {
            assertEquals(3, r.path("exitCode").asInt());
            assertEquals("FAILED", r.path("outcome").asText());
        });
        assertTrue(get("/api/v1/instances/" + id + "/log?attempt=2").path("log").asText().contains("broken"));
    }

    @Test
    void aScriptPastItsTimeLimitIsKilledAndFailed() {
        long shell = uniqueId();
        Map<String, Object> n = shellNode(shell, "echo started; sleep 60; echo never");
        n.put("timeoutSeconds", 1);
        deploy(workspace, "UTC", List.of(n));
        dueNow();
        awaitStatus(shell, "Failure");
        JsonNode log = get("/api/v1/instances/" + instance(workspace, shell, EIGHT).path("Id").asLong() + "/log");
        assertEquals("TIMED_OUT", log.path("outcome").asText());
        assertTrue(log.path("log").asText().contains("started"));
        assertTrue(log.path("log").asText().contains("time limit"));
        assertFalse(log.path("log").asText().contains("never"));
    }

    @Test
    void theLogKeepsItsHeadAndTailWithinTheOutputLimit() {
        long shell = uniqueId();
        deploy(workspace, "UTC", List.of(shellNode(shell, "echo first-line; i=0; while [ $i -lt 2000 ]; do echo filler-$i; i=$((i+1)); done; echo last-line")));
        dueNow();
        awaitStatus(shell, "Success");
        JsonNode log = get("/api/v1/instances/" + instance(workspace, shell, EIGHT).path("Id").asLong() + "/log");
        String text = log.path("log").asText();
        assertTrue(text.startsWith("first-line"), text.substring(0, 40));
        assertTrue(text.trim().endsWith("last-line"));
        assertTrue(log.path("logDroppedBytes").asLong() > 10_000, "2000 filler lines exceed the 4 KiB limit");
        assertTrue(text.length() < 4096 + 100);
    }

    @Test
    void aFullResourceGroupHoldsInstancesInStatusThreeAndReleasesThemByPriority() throws Exception {
        String group = "rg-" + uniqueId();
        operator().body(Map.of("slots", 1)).put("/api/v1/resource-groups/" + group).then().statusCode(200);
        Path gate = dir.resolve("gate");
        assertEquals(0, new ProcessBuilder("mkfifo", gate.toString()).start().waitFor());
        Path order = dir.resolve("order.txt");
        long blocker = uniqueId(), low = uniqueId(), mid = uniqueId(), high = uniqueId(), top = uniqueId(), trigger = uniqueId();
        List<Map<String, Object>> nodes = new java.util.ArrayList<>();
        for (long[] p : new long[][] {{blocker, 1}, {low, 1}, {mid, 3}, {high, 7}, {top, 8}}) {
            // Each run records itself, then blocks until the test opens the gate once.
            Map<String, Object> n = shellNode(p[0], "echo \"$TRIGGERLAYER_NODE_ID\" >> \"$ORDER\"; cat \"$GATE\" > /dev/null");
            n.put("priority", (int) p[1]);
            n.put("resourceGroup", group);
            n.put("parameters", Map.of("ORDER", order.toString(), "GATE", gate.toString()));
            if (p[0] == blocker) {
                n.put("cron", "00 00 07 * * ?");
            }
            nodes.add(n);
        }
        Map<String, Object> t = new HashMap<>(node(trigger, "HTTP_TRIGGER", AT_EIGHT, "IMMEDIATE"));
        t.put("resourceGroup", group);
        nodes.add(t);
        deploy(workspace, "UTC", nodes);

        // 07:00: the blocker takes the group's only slot. 08:00: the other four wait for it in status 3.
        Instant seven = Instant.parse("2026-11-22T07:00:00Z");
        CLOCK.set(seven.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> instance(workspace, blocker, seven).path("Status").asText().equals("Running"));
        dueNow();
        for (long waiting : new long[] {top, high, mid, low}) {
            assertEquals("WaitResource", instance(workspace, waiting, EIGHT).path("Status").asText());
            assertEquals(3, instance(workspace, waiting, EIGHT).path("StatusCode").asInt());
        }
        assertEquals(4, get("/api/v1/resource-groups/" + group).path("waiting").asInt());
        // The HTTP trigger node's "resource group has capacity" counts the same slots.
        UUID command = UUID.randomUUID();
        Scenario.send(kafka, command, trigger, EIGHT, null);
        JsonNode outcome = outcomes.await(command.toString(), v -> true);
        assertEquals("RETAINED", outcome.path("outcome").asText());
        assertEquals("ResourceGroupFull", outcome.path("code").asText());
        release(gate);
        await().atMost(Duration.ofSeconds(30)).until(() -> instance(workspace, blocker, seven).path("Status").asText().equals("Success"));

        for (long expected : new long[] {top, high, mid, low}) {
            awaitStatus(expected, "Running");
            JsonNode rg = get("/api/v1/resource-groups/" + group);
            assertEquals(1, rg.path("running").asInt());
            for (long other : new long[] {top, high, mid, low}) {
                String s = instance(workspace, other, EIGHT).path("Status").asText();
                assertTrue(other == expected || s.equals("Success") || s.equals("WaitResource"), other + " is " + s);
            }
            release(gate);
            awaitStatus(expected, "Success");
        }
        assertEquals(List.of(String.valueOf(blocker), String.valueOf(top), String.valueOf(high), String.valueOf(mid), String.valueOf(low)),
                Files.readAllLines(order));
        assertEquals(0, get("/api/v1/resource-groups/" + group).path("waiting").asInt());
    }

    @Test
    void killTerminatesTheChildProcess() throws Exception {
        long shell = uniqueId();
        Path pidFile = dir.resolve("pid");
        Map<String, Object> n = shellNode(shell, "echo $$ > \"$PID_FILE.tmp\"; mv \"$PID_FILE.tmp\" \"$PID_FILE\"; sleep 120");
        n.put("parameters", Map.of("PID_FILE", pidFile.toString()));
        deploy(workspace, "UTC", List.of(n));
        dueNow();
        awaitStatus(shell, "Running");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> script = ProcessHandle.of(pid);
        assertTrue(script.isPresent() && script.get().isAlive(), "the script runs");
        await().atMost(Duration.ofSeconds(10)).until(() -> script.get().descendants().findAny().isPresent());
        List<ProcessHandle> children = script.get().descendants().toList();

        long id = instance(workspace, shell, EIGHT).path("Id").asLong();
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(id))).post("/api/v1/instance-operations/kill")
                .then().statusCode(200);
        assertEquals("Failure", instance(workspace, shell, EIGHT).path("Status").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)
                && children.stream().noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(10)).until(() -> "KILLED".equals(get("/api/v1/instances/" + id + "/log").path("outcome").asText()));
    }

    /** Opening and closing the FIFO ends the running script's read. */
    @Test
    void aClaimedRunWhoseProcessNeverStartedIsDispatchedAgainWithoutCounting() {
        long shell = uniqueId();
        Map<String, Object> n = shellNode(shell, "echo ran");
        n.put("retries", 0);
        deploy(workspace, "UTC", List.of(n));
        long id = crashedMidRun(shell, false);
        dueNow();
        awaitStatus(shell, "Success");
        JsonNode runs = get("/api/v1/instances/" + id + "/runs");
        assertEquals("NOT_STARTED", runs.path(0).path("outcome").asText(), runs.toString());
        assertEquals("SUCCEEDED", runs.path(1).path("outcome").asText(), runs.toString());
        assertEquals(List.of(0, 0), counters(id), "neither the node's retries nor the lost-run allowance was used");
    }

    @Test
    void aRunLostWithItsReplicaIsRetriedOnTopOfTheNodesRetriesThenFailsWhenTheNodeAllowsNone() {
        long shell = uniqueId(), strict = uniqueId();
        Map<String, Object> n = shellNode(shell, "echo ran");
        n.put("retries", 0);
        Map<String, Object> s = shellNode(strict, "echo ran");
        s.put("retries", 0);
        s.put("lostRetries", 0);
        deploy(workspace, "UTC", List.of(n, s));
        long id = crashedMidRun(shell, true);
        long strictId = crashedMidRun(strict, true);
        dueNow();
        awaitStatus(shell, "Success");
        JsonNode runs = get("/api/v1/instances/" + id + "/runs");
        assertEquals("LOST", runs.path(0).path("outcome").asText(), runs.toString());
        assertEquals("SUCCEEDED", runs.path(1).path("outcome").asText(), runs.toString());
        assertEquals(List.of(0, 1), counters(id), "the lost-run allowance, not the node's retries");
        awaitStatus(strict, "Failure");
        assertEquals("LOST", get("/api/v1/instances/" + strictId + "/runs").path(0).path("outcome").asText());
    }

    /**
     * Leaves the node's instance (not due yet) as a replica that died mid-run leaves it: running,
     * its lease expired, its run row open (with or without the mark that its process started).
     */
    private long crashedMidRun(long node, boolean processStarted) {
        long id = instance(workspace, node, EIGHT).path("Id").asLong();
        java.time.OffsetDateTime past = EIGHT.minusSeconds(60).atOffset(java.time.ZoneOffset.UTC);
        pool.preparedQuery("update task_instance set status = 4, attempt = 1, run_owner = 'dead-replica', lease_until = $2, "
                        + "begin_running_time = $2 where id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(id, past))
                .chain(() -> pool.preparedQuery("insert into task_instance_run (instance_id, attempt, runner, started_at, process_started_at) "
                        + "values ($1, 1, 'dead-replica', $2, $3)").execute(io.vertx.mutiny.sqlclient.Tuple.of(id, past, processStarted ? past : null)))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    /** retries_used and lost_retries_used of an instance. */
    private List<Integer> counters(long id) {
        var row = pool.preparedQuery("select retries_used, lost_retries_used from task_instance where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        return List.of(row.getInteger(0), row.getInteger(1));
    }

    private static void release(Path gate) throws IOException {
        try (OutputStream open = Files.newOutputStream(gate)) {
            open.flush();
        }
    }

    /** Moves the clock past 08:00 and lets the ticker start what is due. */
    private void dueNow() {
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
    }

    private Map<String, Object> shellNode(long id, String script) {
        Map<String, Object> n = new HashMap<>(node(id, "SHELL", AT_EIGHT, "IMMEDIATE"));
        n.put("script", script);
        return n;
    }

    private void awaitStatus(long node, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> instance(workspace, node, EIGHT).path("Status").asText().equals(status));
    }

    private static JsonNode get(String path) {
        try {
            return JSON.readTree(operator().get(path).then().statusCode(200).extract().asString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }
}
