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
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two regions on one machine (docs/federation.md): the shared system is the home region
 * {@code cn-hangzhou} of the demo tenants; region {@code cn-shanghai} has its own broker and a
 * gateway of its own; MirrorMaker 2 ({@code federation/target/federation.jar}, its own process)
 * links the brokers. Tenant B's triggers go, through the official SDK, to the second region's
 * gateway; each is applied once in the home region and answered with the local shape, also while
 * the link is cut and when MirrorMaker 2 is killed mid-stream.
 */
class FederationIT {

    static final String SECOND = "cn-shanghai";
    static final long WORKSPACE = 2002, FLOW = 8600, TRIGGER = 8601, DOWNSTREAM = 8602;

    static TriggerLayer home;
    static Properties keys;
    static BrokerProcess secondBroker;
    static PackagedService secondGateway;
    static Path work;
    static Process mirror;
    static final LocalDate YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

    @BeforeAll
    static void start() throws Exception {
        home = TriggerLayer.shared();
        keys = home.credentials();
        work = TriggerLayer.repositoryRoot().resolve("e2e-tests/target/federation");
        // A broker and MirrorMaker offsets of an earlier run would not match this run's home region.
        if (Files.exists(work)) {
            try (var old = Files.walk(work)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(work.resolve("logs"));
        secondBroker = new BrokerProcess(work.resolve("kafka-" + SECOND), work.resolve("logs/kafka-" + SECOND + ".log")).start(Duration.ofSeconds(90));
        startMirror();

        // Tenant B's flow in its home region: an HTTP trigger node every 5 minutes, a shell node after it.
        home.call("POST", home.scheduler, "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":1002,\"workspaceId\":" + WORKSPACE
                + ",\"env\":\"Prod\",\"name\":\"federated\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + TRIGGER + ",\"name\":\"federated_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00/5 * * * ?\"},"
                + "{\"id\":" + DOWNSTREAM + ",\"name\":\"federated_after\",\"type\":\"SHELL\",\"script\":\"echo ran\",\"cron\":\"00 00/5 * * * ?\","
                + "\"upstream\":[" + TRIGGER + "]}]}");
        home.call("POST", home.scheduler, "/api/v1/workflows/" + FLOW + "/deploy", "");
        home.call("POST", home.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + YESTERDAY, "");

        String pg = SharedServers.postgres().jdbcUrl();
        String database = pg.substring(0, pg.lastIndexOf('/') + 1) + "region_" + SECOND.replace('-', '_');
        try (Connection c = DriverManager.getConnection(pg, SharedServers.postgres().username(), SharedServers.postgres().password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = 'region_cn_shanghai'")) {
                if (!rs.next()) {
                    s.execute("create database region_cn_shanghai");
                }
            }
        }
        int port = PackagedService.freePort();
        secondGateway = PackagedService.of("trigger-gateway", TriggerLayer.repositoryRoot().resolve("trigger-gateway"), work)
                .port(port).managementPort(0)
                .config(Map.of("quarkus.datasource.jdbc.url", database, "quarkus.datasource.reactive.url", database.substring("jdbc:".length()),
                        "quarkus.datasource.username", SharedServers.postgres().username(),
                        "quarkus.datasource.password", SharedServers.postgres().password(),
                        "kafka.bootstrap.servers", secondBroker.bootstrapServers(),
                        "gateway.registry-feed.keys.f1", home.feedKey(), "gateway.host-id", "127.0.0.1:" + port,
                        "gateway.scheduler.url", "http://127.0.0.1:" + home.scheduler, "gateway.scheduler.token", home.queryToken()))
                .config(Map.of("gateway.federation.region", SECOND, "gateway.federation.outcome-timeout", "6s",
                        // No registry and no scheduler here: the home region's copies.
                        "gateway.topics.registry-changes", TriggerLayer.HOME_REGION + ".registry.changes",
                        "gateway.topics.nodes", TriggerLayer.HOME_REGION + ".scheduler.nodes",
                        "gateway.federation.peers." + TriggerLayer.HOME_REGION + ".scheduler-url", "http://127.0.0.1:" + home.scheduler,
                        "gateway.federation.peers." + TriggerLayer.HOME_REGION + ".scheduler-token", home.queryToken()))
                .build();
        secondGateway.start();
        secondGateway.awaitReady(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        if (secondGateway != null) {
            secondGateway.close();
        }
        if (mirror != null) {
            mirror.destroyForcibly().waitFor();
        }
        if (secondBroker != null) {
            secondBroker.close();
        }
    }

    @Test
    void aTriggerSentToTheOtherRegionIsAppliedOnceInTheHomeRegion() throws Exception {
        long due = at(0, 5);
        Map<String, ?> answer = trigger(due, null);
        assertEquals("Triggered", body(answer).get("TriggerOutcome").toString(), answer.toString());
        long instance = Long.parseLong(body(answer).get("TaskInstanceId").toString());
        awaitDownstreamRan(due);

        long early = LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(0, 5).toInstant(ZoneOffset.UTC).toEpochMilli();
        Map<String, ?> retained = trigger(early, null);
        assertEquals("Retained", body(retained).get("TriggerOutcome").toString(), retained.toString());

        // Queries are answered by the home region, through the second region's gateway.
        Map<String, ?> got = call("GetTaskInstance", "2024-05-18", Map.of("Id", instance));
        assertEquals("Success", ((Map<?, ?>) body(got).get("TaskInstance")).get("Status").toString());

        // Events exist on the tenant's bus in the home region only.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", secondBroker.bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            assertTrue(topics.stream().noneMatch(t -> t.contains("tenant.")), "no bus in the second region: " + topics);
        }
        List<JsonNode> bus = Topics.readAll(SharedServers.kafka(), List.of("tenant.1002.bus.default"), Duration.ofSeconds(20))
                .getOrDefault("tenant.1002.bus.default", List.of());
        assertTrue(bus.stream().anyMatch(e -> e.at("/data/taskId").asLong() == instance && e.at("/data/status").asInt() == 6),
                "the trigger's status change is on B's bus in the home region");
        assertEquals(1, commandsFor(instance));
    }

    @Test
    void whileTheLinkIsCutTriggersWaitAndAreAppliedOnceWhenItReturns() throws Exception {
        long first = at(1, 0), second = at(1, 5);
        killMirror();
        String token = "link-" + UUID.randomUUID();
        assertEquals("ServiceUnavailable", refusal(first, token), "the home region cannot answer: a retryable error after the wait");
        assertEquals("ServiceUnavailable", refusal(first, token), "a retry with the ClientToken resends the same command");
        assertEquals("ServiceUnavailable", refusal(second, "link2-" + UUID.randomUUID()));
        startMirror();
        Map<String, ?> answer = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .ignoreException(TeaException.class).until(() -> trigger(first, token), a -> a != null);
        assertEquals("Triggered", body(answer).get("TriggerOutcome").toString(), answer.toString());
        long instance = Long.parseLong(body(answer).get("TaskInstanceId").toString());
        awaitDownstreamRan(first);
        awaitDownstreamRan(second);
        assertEquals(1, commandsFor(instance), "three sends of one ClientToken are one command");
        assertEquals(1, attempts(first), "the downstream ran once");
    }

    @Test
    void mirrorMakerKilledMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        List<Long> times = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            times.add(at(2 + k / 12, (k % 12) * 5));
        }
        Map<Long, String> tokens = new HashMap<>();
        times.forEach(t -> tokens.put(t, "burst-" + t + "-" + UUID.randomUUID()));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> sends = new ArrayList<>();
        for (long t : times) {
            sends.add(pool.submit(() -> {
                try {
                    trigger(t, tokens.get(t));
                } catch (TeaException e) {
                    // ServiceUnavailable while MirrorMaker is down: retried below with the same ClientToken.
                }
                return null;
            }));
            if (sends.size() == 8) {
                killMirror(); // SIGKILL, a third of the way into the burst
            }
        }
        for (Future<?> f : sends) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        startMirror();
        for (long t : times) {
            Map<String, ?> answer = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .ignoreException(TeaException.class).until(() -> trigger(t, tokens.get(t)), a -> a != null);
            assertEquals("Triggered", body(answer).get("TriggerOutcome").toString(), answer.toString());
        }
        for (long t : times) {
            awaitDownstreamRan(t);
            assertEquals(1, attempts(t), "each downstream ran once");
            assertEquals(1, commandsFor(instanceAt(TRIGGER, t)), "one command per trigger, whatever MirrorMaker 2 copied twice");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Epoch ms of yesterday's instance at hh:mm (UTC). */
    private static long at(int hour, int minute) {
        return YESTERDAY.atTime(hour, minute).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static void startMirror() throws Exception {
        Path config = work.resolve("mirror-maker.properties");
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(config, String.join("\n",
                "clusters=" + TriggerLayer.HOME_REGION + "," + SECOND,
                TriggerLayer.HOME_REGION + ".bootstrap.servers=" + SharedServers.kafka(),
                SECOND + ".bootstrap.servers=" + secondBroker.bootstrapServers(),
                "replication.factor=1", "refresh.topics.interval.seconds=2", ""));
        Path jar = TriggerLayer.repositoryRoot().resolve("federation/target/federation.jar");
        mirror = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar", jar.toString(),
                config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("logs/mirror-maker.log").toFile())).start();
    }

    /** SIGKILL: MirrorMaker 2 flushes nothing; what it copied but had not committed is copied again. */
    private static void killMirror() throws Exception {
        mirror.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    private static Map<String, ?> trigger(long cycTime, String clientToken) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("TaskId", TRIGGER, "EnvType", "Prod", "TriggerTime", cycTime));
        if (clientToken != null) {
            body.put("ClientToken", clientToken);
        }
        return call("TriggerSchedulerTaskInstance", "2024-05-18", body);
    }

    private static String refusal(long cycTime, String clientToken) throws Exception {
        try {
            trigger(cycTime, clientToken);
        } catch (TeaException e) {
            return e.getCode();
        }
        fail("the trigger was answered while the link was cut");
        return null;
    }

    private static Map<String, ?> call(String action, String version, Map<String, Object> body) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty("TENANT_B_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty("TENANT_B_ACCESS_KEY_SECRET"))
                .setEndpoint("127.0.0.1:" + secondGateway.port()).setProtocol("HTTP").setReadTimeout(60_000);
        Params params = new Params().setAction(action).setVersion(version).setProtocol("HTTP").setMethod("POST").setAuthType("AK")
                .setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        return new Client(config).callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions().setAutoretry(false));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> body(Map<String, ?> answer) {
        return (Map<String, ?>) answer.get("body");
    }

    private static void awaitDownstreamRan(long cycTime) {
        await().atMost(Duration.ofSeconds(90)).until(() -> "Success".equals(instance(DOWNSTREAM, cycTime).path("Status").asText()));
    }

    private static JsonNode instance(long node, long cycTime) throws Exception {
        return home.call("GET", home.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE + "&TaskId=" + node + "&TriggerTime=" + cycTime, null)
                .at("/PagingInfo/TaskInstances/0");
    }

    private static long instanceAt(long node, long cycTime) throws Exception {
        return instance(node, cycTime).path("Id").asLong();
    }

    private static int attempts(long cycTime) throws Exception {
        return query("select attempt from scheduler.task_instance where node_id = " + DOWNSTREAM + " and cyc_time = to_timestamp(" + cycTime / 1000 + ")");
    }

    /** How many trigger commands the home region recorded for the instance. */
    private static int commandsFor(long instance) throws Exception {
        return query("select count(*) from scheduler.trigger_command where instance_id = " + instance);
    }

    private static int query(String sql) throws Exception {
        SharedServers.Postgres pg = SharedServers.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getInt(1);
        }
    }
}
