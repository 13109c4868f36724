package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.alert.model.AlertRecord;
import dev.triggerlayer.scheduler.alert.service.AlertEvaluator;
import dev.triggerlayer.scheduler.instance.engine.InstanceEngine;
import dev.triggerlayer.scheduler.instance.engine.Ticker;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alert rules (docs/alerts.md): each type fires once per instance (or resource-group episode)
 * and not before its condition holds, with its record on {@code scheduler.alerts}; bad rules are
 * refused with the parameter named. Time-driven conditions move the test clock; instances are
 * driven by the operator API and the engine (no scripts run in this profile).
 */
@QuarkusTest
class AlertRulesTest {

    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static TopicReader alerts;

    @Inject
    AlertEvaluator evaluator;

    @Inject
    Ticker ticker;

    @Inject
    Transactions transactions;

    @Inject
    InstanceEngine engine;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;

    @BeforeEach
    void open() {
        if (alerts == null) {
            alerts = new TopicReader(bootstrap, "scheduler.alerts");
        }
        CLOCK.set(START);
        workspace = uniqueId();
    }

    @AfterAll
    static void close() {
        if (alerts != null) {
            alerts.close();
        }
    }

    @Test
    void errorAndFinishedFireOnceForTheInstanceThatEndedThatWay() {
        long a = uniqueId(), b = uniqueId();
        deploy(workspace, "UTC", List.of(node(a, "SHELL", "00 00 08 * * ?", "IMMEDIATE"), node(b, "SHELL", "00 00 08 * * ?", "IMMEDIATE")));
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        long ia = id(a, EIGHT), ib = id(b, EIGHT);
        long error = create(nodeRule("errors", "ERROR", List.of(a, b))).path("remindId").asLong();
        long finished = create(nodeRule("successes", "FINISHED", List.of(a, b))).path("remindId").asLong();

        evaluate();
        assertEquals(0, fired(error) + fired(finished), "nothing ended yet");

        operate("kill", ia);
        operate("set-success", ib);
        // Two passes at once, as two replicas would run them: one alert each.
        Uni.combine().all().unis(evaluator.evaluate(), evaluator.evaluate()).asTuple().await().atMost(Duration.ofSeconds(10));
        evaluate();

        JsonNode e = single(error);
        assertEquals("ERROR", e.path("remindType").asText());
        assertEquals("NODE", e.path("remindUnit").asText());
        assertEquals("errors", e.path("remindName").asText());
        assertEquals(1002, e.path("tenantId").asLong());
        assertEquals(workspace, e.path("workspaceId").asLong());
        assertEquals(List.of(a), longs(e.path("nodeIds")), "the killed node only");
        assertEquals(List.of(ia), longs(e.path("taskIds")));
        assertEquals(EIGHT.plusSeconds(30).toEpochMilli(), e.path("firedAt").asLong());
        JsonNode f = single(finished);
        assertEquals("FINISHED", f.path("remindType").asText());
        assertEquals(List.of(b), longs(f.path("nodeIds")), "the succeeded node only");
        assertEquals(List.of(ib), longs(f.path("taskIds")));
        assertEquals(1, fired(error));
        assertEquals(1, fired(finished));
    }

    @Test
    void timeoutFiresOnceTheRunIsLongerThanItsLimit() {
        long a = uniqueId();
        deploy(workspace, "UTC", List.of(node(a, "SHELL", "00 00 08 * * ?", "IMMEDIATE")));
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        long ia = id(a, EIGHT);
        Map<String, Object> body = nodeRule("too long", "TIMEOUT", List.of(a));
        body.put("timeoutMinutes", 10);
        long rule = create(body).path("remindId").asLong();
        claim(ia);

        CLOCK.set(EIGHT.plusSeconds(30).plus(Duration.ofMinutes(10)).minusMillis(1));
        evaluate();
        assertEquals(0, fired(rule), "running 1 ms less than 10 minutes");
        CLOCK.set(EIGHT.plusSeconds(30).plus(Duration.ofMinutes(10)));
        evaluate();
        CLOCK.set(EIGHT.plus(Duration.ofHours(2)));
        evaluate();

        JsonNode t = single(rule);
        assertEquals("TIMEOUT", t.path("remindType").asText());
        assertEquals(List.of(a), longs(t.path("nodeIds")));
        assertEquals(List.of(ia), longs(t.path("taskIds")));
        assertEquals(EIGHT.plusSeconds(30).plus(Duration.ofMinutes(10)).toEpochMilli(), t.path("firedAt").asLong());
        operate("kill", ia);
    }

    @Test
    void unfinishedFiresAtTheTimeOfDayOfTheWorkflowsZoneOnTheInstancesDay() {
        // 10:00 in Shanghai is 02:00 UTC; the rule's 11:30 there is 03:30 UTC.
        long a = uniqueId(), b = uniqueId();
        deploy(workspace, "Asia/Shanghai", List.of(node(a, "SHELL", "00 00 10 * * ?", "IMMEDIATE"),
                node(b, "SHELL", "00 00 10 * * ?", "IMMEDIATE")));
        Instant today = Instant.parse("2026-11-22T02:00:00Z"), tomorrow = Instant.parse("2026-11-23T02:00:00Z");
        Map<String, Object> body = nodeRule("late", "UNFINISHED", List.of(a, b));
        body.put("unfinishedTime", "11:30");
        long rule = create(body).path("remindId").asLong();
        assertEquals("11:30", get(rule).path("unfinishedTime").asText());
        operate("set-success", id(b, today));

        CLOCK.set(Instant.parse("2026-11-22T03:29:59Z"));
        evaluate();
        assertEquals(0, fired(rule), "11:29:59 in Shanghai");
        CLOCK.set(Instant.parse("2026-11-22T03:30:00Z"));
        evaluate();
        JsonNode first = single(rule);
        assertEquals("UNFINISHED", first.path("remindType").asText());
        assertEquals(List.of(a), longs(first.path("nodeIds")), "b succeeded in time; tomorrow's are not due");
        assertEquals(List.of(id(a, today)), longs(first.path("taskIds")));

        CLOCK.set(Instant.parse("2026-11-23T03:30:00Z"));
        evaluate();
        evaluate();
        List<JsonNode> both = published(rule);
        assertEquals(2, both.size(), "one alert a day: " + both);
        JsonNode second = both.get(1);
        Map<Long, Long> nodeOfTask = new HashMap<>();
        for (int i = 0; i < second.path("taskIds").size(); i++) {
            nodeOfTask.put(second.path("taskIds").path(i).asLong(), second.path("nodeIds").path(i).asLong());
        }
        assertEquals(Map.of(id(a, tomorrow), a, id(b, tomorrow), b), nodeOfTask, "both of the next day's, each with its node");
    }

    @Test
    void resourceGroupRulesFireOncePerEpisodeAndAgainAfterTheConditionCleared() {
        String group = "alerts-" + uniqueId();
        operator().body(Map.of("slots", 2)).put("/api/v1/resource-groups/" + group).then().statusCode(200);
        long n1 = uniqueId(), n2 = uniqueId(), n3 = uniqueId();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (long n : new long[] {n1, n2, n3}) {
            Map<String, Object> node = node(n, "SHELL", "00 00 08 * * ?", "IMMEDIATE");
            node.put("resourceGroup", group);
            nodes.add(node);
        }
        deploy(workspace, "UTC", nodes);
        long full = create(groupRule("full", "RES_GROUP_THRESHOLD", group, "usagePercent", 100)).path("remindId").asLong();
        long queue = create(groupRule("queue", "RES_GROUP_WAIT_AMOUNT", group, "waitingCount", 2)).path("remindId").asLong();

        evaluate();
        assertEquals(0, fired(full) + fired(queue), "nothing waits or runs yet");
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        evaluate();
        evaluate();
        assertEquals(1, fired(queue), "3 waiting > 2");
        assertEquals(0, fired(full), "no slot in use");

        claim(id(n1, EIGHT));
        claim(id(n2, EIGHT));
        evaluate();
        evaluate();
        assertEquals(1, fired(full), "2 of 2 slots in use");
        assertEquals(0, fired(queue), "1 waiting: the queue rule is re-armed");

        operate("kill", id(n1, EIGHT));
        evaluate();
        assertEquals(0, fired(full), "1 of 2 slots: the threshold rule is re-armed");
        CLOCK.set(EIGHT.plusSeconds(90));
        claim(id(n3, EIGHT));
        evaluate();

        List<JsonNode> queued = published(queue);
        assertEquals(1, queued.size(), queued.toString());
        JsonNode q = queued.get(0);
        assertEquals("RES_GROUP_WAIT_AMOUNT", q.path("remindType").asText());
        assertEquals("GATEWAY_RES", q.path("remindUnit").asText());
        assertEquals(group, q.path("resourceGroup").asText());
        assertEquals(3, q.path("waiting").asLong());
        assertEquals(2, q.path("slots").asInt());
        assertEquals(workspace, q.path("workspaceId").asLong());
        assertTrue(q.path("nodeIds").isMissingNode() && q.path("taskIds").isMissingNode(), q.toString());
        List<JsonNode> fulls = published(full);
        assertEquals(2, fulls.size(), "two episodes: " + fulls);
        assertEquals(List.of(2L, 2L), fulls.stream().map(r -> r.path("running").asLong()).toList());
        assertEquals(List.of(EIGHT.plusSeconds(30).toEpochMilli(), EIGHT.plusSeconds(90).toEpochMilli()),
                fulls.stream().map(r -> r.path("firedAt").asLong()).toList());
        operate("kill", id(n2, EIGHT));
        operate("kill", id(n3, EIGHT));
    }

    @Test
    void rulesAreCreatedListedReadAndDeletedAndBadOnesRefusedWithTheParameterNamed() {
        long a = uniqueId(), elsewhere = uniqueId();
        deploy(workspace, "UTC", List.of(node(a, "SHELL", "00 00 08 * * ?", "T_PLUS_1")));
        deploy(uniqueId(), "UTC", List.of(node(elsewhere, "SHELL", "00 00 08 * * ?", "T_PLUS_1")));

        JsonNode created = create(nodeRule("errors", "ERROR", List.of(a, a)));
        long id = created.path("remindId").asLong();
        assertEquals(List.of(a), longs(created.path("nodeIds")), "duplicates folded");
        assertEquals("tester", created.path("createdBy").asText());
        assertTrue(created.path("timeoutMinutes").isMissingNode(), created.toString());
        assertEquals(created, get(id));
        operator().body(nodeRule("errors", "ERROR", List.of(a))).header("X-Operator", "tester").post("/api/v1/alert-rules")
                .then().statusCode(409).body("code", is("Conflict"));

        List<Object[]> bad = new ArrayList<>();
        bad.add(new Object[] {Map.of("remindUnit", "DI_RES"), "remindUnit"});
        bad.add(new Object[] {Map.of("remindType", "CYCLE_UNFINISHED"), "remindType"});
        bad.add(new Object[] {Map.of("remindType", "RES_GROUP_THRESHOLD"), "remindType"});
        bad.add(new Object[] {Map.of("remindName", " "), "remindName"});
        bad.add(new Object[] {Map.of("nodeIds", List.of()), "nodeIds"});
        bad.add(new Object[] {Map.of("nodeIds", List.of(a, 987654321012L)), "nodeIds"});
        bad.add(new Object[] {Map.of("nodeIds", List.of(elsewhere)), "nodeIds"});
        bad.add(new Object[] {Map.of("nodeIds", List.of(-1)), "nodeIds[0]"});
        bad.add(new Object[] {Map.of("tenantId", 1003), "nodeIds"});
        bad.add(new Object[] {Map.of("tenantId", "x"), "tenantId"});
        bad.add(new Object[] {Map.of("timeoutMinutes", 5), "timeoutMinutes"});
        bad.add(new Object[] {Map.of("remindType", "TIMEOUT"), "timeoutMinutes"});
        bad.add(new Object[] {Map.of("remindType", "TIMEOUT", "timeoutMinutes", 0), "timeoutMinutes"});
        bad.add(new Object[] {Map.of("remindType", "UNFINISHED"), "unfinishedTime"});
        bad.add(new Object[] {Map.of("remindType", "UNFINISHED", "unfinishedTime", "24:00"), "unfinishedTime"});
        bad.add(new Object[] {Map.of("remindUnit", "GATEWAY_RES", "remindType", "RES_GROUP_THRESHOLD", "usagePercent", 50), "nodeIds"});
        for (Object[] b : bad) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = nodeRule("bad " + b[1], "ERROR", List.of(a));
            body.putAll((Map<String, Object>) b[0]);
            refused(body, (String) b[1]);
        }
        List<Object[]> badGroups = List.of(
                new Object[] {groupRule("g", "RES_GROUP_THRESHOLD", "no-such-group", "usagePercent", 50), "resourceGroup"},
                new Object[] {groupRule("g", "RES_GROUP_THRESHOLD", "bad name!", "usagePercent", 50), "resourceGroup"},
                new Object[] {groupRule("g", "RES_GROUP_THRESHOLD", "default", "usagePercent", 101), "usagePercent"},
                new Object[] {groupRule("g", "RES_GROUP_THRESHOLD", "default", "waitingCount", 1), "usagePercent"},
                new Object[] {groupRule("g", "RES_GROUP_WAIT_AMOUNT", "default", "waitingCount", -1), "waitingCount"},
                new Object[] {groupRule("g", "ERROR", "default", "waitingCount", 1), "remindType"});
        for (Object[] b : badGroups) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) b[0];
            refused(body, (String) b[1]);
        }
        operator().body(nodeRule("no operator", "ERROR", List.of(a))).post("/api/v1/alert-rules")
                .then().statusCode(400).body("field", is("X-Operator"));
        operator().body("{\"tenantId\":").header("X-Operator", "tester").post("/api/v1/alert-rules")
                .then().statusCode(400).body("code", is("InvalidParameter"));

        JsonNode list = json(operator().queryParam("workspaceId", workspace).get("/api/v1/alert-rules").then().statusCode(200).extract().asString());
        assertEquals(1, list.size(), "refused rules write nothing: " + list);
        assertEquals(id, list.path(0).path("remindId").asLong());
        operator().get("/api/v1/alert-rules").then().statusCode(400).body("field", is("workspaceId"));
        operator().get("/api/v1/alert-rules/abc").then().statusCode(400).body("field", is("id"));
        operator().get("/api/v1/alert-rules/987654321012").then().statusCode(404).body("code", is("NotFound"));
        given().header("Authorization", "Bearer test-query-token").get("/api/v1/alert-rules/" + id).then().statusCode(403);

        operator().delete("/api/v1/alert-rules/" + id).then().statusCode(400).body("field", is("X-Operator"));
        operator().header("X-Operator", "tester").delete("/api/v1/alert-rules/" + id).then().statusCode(200).body("deleted", is(true));
        operator().get("/api/v1/alert-rules/" + id).then().statusCode(404);
        operator().header("X-Operator", "tester").delete("/api/v1/alert-rules/" + id).then().statusCode(404);
    }

    private Map<String, Object> nodeRule(String name, String type, List<Long> nodes) {
        Map<String, Object> body = new HashMap<>(Map.of("tenantId", 1002, "workspaceId", workspace, "remindName", name,
                "remindUnit", "NODE", "remindType", type));
        body.put("nodeIds", nodes);
        return body;
    }

    private Map<String, Object> groupRule(String name, String type, String group, String parameter, int value) {
        return new HashMap<>(Map.of("tenantId", 1002, "workspaceId", workspace, "remindName", name, "remindUnit", "GATEWAY_RES",
                "remindType", type, "resourceGroup", group, parameter, value));
    }

    private static JsonNode create(Map<String, Object> body) {
        return json(operator().header("X-Operator", "tester").body(body).post("/api/v1/alert-rules").then().statusCode(201).extract().asString());
    }

    private static JsonNode get(long id) {
        return json(operator().get("/api/v1/alert-rules/" + id).then().statusCode(200).extract().asString());
    }

    private static void refused(Map<String, Object> body, String field) {
        String answer = operator().header("X-Operator", "tester").body(body).post("/api/v1/alert-rules").then().extract().asString();
        JsonNode error = json(answer);
        assertEquals("InvalidParameter", error.path("code").asText(), body + " → " + answer);
        assertEquals(field, error.path("field").asText(), body + " → " + answer);
    }

    private static void operate(String operation, long instanceId) {
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(instanceId)))
                .post("/api/v1/instance-operations/" + operation).then().statusCode(200);
    }

    /** The instance starts running now, leased far beyond the test so nothing resolves it as lost. */
    private void claim(long instanceId) {
        transactions.run(u -> engine.lock(u, instanceId).chain(i -> engine.claim(u, i, "alert-test", u.now().plus(Duration.ofDays(2)))))
                .await().atMost(Duration.ofSeconds(10));
    }

    private List<AlertRecord> evaluate() {
        return evaluator.evaluate().await().atMost(Duration.ofSeconds(10));
    }

    private long id(long node, Instant cycTime) {
        return instance(workspace, node, cycTime).path("Id").asLong();
    }

    /** What the rule has open: instances alerted on, or 1 for an open resource-group episode. */
    private long fired(long rule) {
        return pool.preparedQuery("select count(*) from alert_fired where rule_id = $1").execute(Tuple.of(rule))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    /** The rule's records on scheduler.alerts once its outbox rows are relayed, each with its alertId as event-id. */
    private List<JsonNode> published(long rule) {
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.preparedQuery("select count(*) from outbox where topic = 'scheduler.alerts' "
                + "and record_key = $1").execute(Tuple.of(String.valueOf(rule))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0);
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : alerts.readToEnd()) {
            if (r.key().equals(String.valueOf(rule))) {
                JsonNode value = json(r.value());
                assertEquals(value.path("alertId").asText(), new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8));
                assertEquals(rule, value.path("remindId").asLong());
                out.add(value);
            }
        }
        return out;
    }

    private JsonNode single(long rule) {
        List<JsonNode> records = published(rule);
        assertEquals(1, records.size(), "once: " + records);
        return records.get(0);
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
