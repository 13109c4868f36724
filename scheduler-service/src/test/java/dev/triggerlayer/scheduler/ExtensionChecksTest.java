package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.extension.service.ExtensionChecks;
import dev.triggerlayer.scheduler.instance.engine.Ticker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extension checks on instance operations (docs/extensions.md), on the real database and broker:
 * an operation that enabled extensions cover waits in Checking with its pre-event on
 * scheduler.instance-operations; OK and WARN apply it, the first FAIL refuses it, the timeout
 * rule resolves a silent extension; the answers' rules (replay, contradiction, other tenant).
 */
@QuarkusTest
class ExtensionChecksTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");
    static final Instant EIGHT = Instant.parse("2026-11-22T08:00:00Z");
    static final long TENANT = 1002;

    static TopicReader operations;

    @Inject
    Ticker ticker;

    @Inject
    ExtensionChecks checks;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long upstream;
    long downstream;

    /** upstream shell → downstream shell, due now: the upstream waits for a slot (scripts do not run in this profile). */
    @BeforeEach
    void flowDueNow() {
        if (operations == null) {
            operations = new TopicReader(bootstrap, "scheduler.instance-operations");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        upstream = uniqueId();
        downstream = uniqueId();
        deploy(workspace, "UTC", List.of(
                node(upstream, "SHELL", "00 00 08 * * ?", "IMMEDIATE"),
                node(downstream, "SHELL", "00 00 08 * * ?", "IMMEDIATE", upstream)));
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        assertEquals("WaitResource", status(upstream));
    }

    @AfterAll
    static void close() {
        if (operations != null) {
            operations.close();
        }
    }

    @Test
    void anOkAnswerAppliesTheHeldFreezeAndItsEventFollowsThePreEvent() {
        String code = register(List.of("pre-freeze-instance"), workspace, Map.of());
        long up = id(upstream);
        JsonNode held = operate("freeze", List.of(up), 200);
        assertEquals("Checking", held.path("state").asText());
        String check = held.path("checkIds").path(0).asText();
        String pending = held.path("pendingOperationId").asText();
        assertFalse(frozen(upstream), "nothing changes while the check runs");
        assertEquals(pending, instance(workspace, upstream, EIGHT).path("CheckingOperationId").asText(), "the query API shows the hold");

        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(check));
        assertEquals("pre-freeze-instance", pre.path("operation").asText());
        assertEquals(pending, pre.path("extensionBizId").asText());
        assertEquals("n" + upstream, pre.path("extensionBizName").asText());
        assertEquals(List.of(up), ids(pre.path("taskInstanceIds")));
        assertEquals("1201", pre.path("operator").asText());
        JsonNode view = get("/api/v1/pending-operations/" + pending);
        assertEquals("CHECKING", view.path("state").asText());
        assertEquals(List.of(code), List.of(view.path("checks").path(0).path("expected").path(0).asText()));

        // While it is held, no other operation may change the instance.
        operator().header("X-Operator", "1201").body(Map.of("instanceIds", List.of(up))).post("/api/v1/instance-operations/set-success")
                .then().statusCode(409).body("message", containsString("in Checking"));

        JsonNode answered = verdict(check, code, "OK", null, TENANT, 200);
        assertEquals("PASSED", answered.path("state").asText());
        assertTrue(frozen(upstream), "applied once every extension passed");
        assertEquals("APPLIED", get("/api/v1/pending-operations/" + pending).path("state").asText());
        JsonNode regular = operations.await(String.valueOf(workspace), v -> v.path("operation").asText().equals("freeze-instance")
                && ids(v.path("taskInstanceIds")).equals(List.of(up)));
        assertEquals("1201", regular.path("operator").asText(), "the regular event names who asked, not the extension");
        List<String> order = operations.values(String.valueOf(workspace)).stream().map(v -> v.path("operationId").asText()).toList();
        assertTrue(order.indexOf(check) < order.indexOf(regular.path("operationId").asText()), "the pre-event comes first");

        // The instance is free again.
        assertFalse(instance(workspace, upstream, EIGHT).hasNonNull("CheckingOperationId"));
        operate("unfreeze", List.of(up), 200);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"freeze,OK", "freeze,WARN", "freeze,FAIL", "unfreeze,OK", "unfreeze,WARN", "unfreeze,FAIL",
            "rerun,OK", "rerun,WARN", "rerun,FAIL", "set-success,OK", "set-success,WARN", "set-success,FAIL", "kill,OK", "kill,WARN", "kill,FAIL"})
    void everyInstanceOperationWaitsForItsAnswer(String operation, String result) {
        String event = Map.of("freeze", "pre-freeze-instance", "unfreeze", "pre-unfreeze-instance", "rerun", "pre-rerun-instance",
                "set-success", "pre-set-instance-success", "kill", "pre-kill-instance").get(operation);
        long up = id(upstream);
        // Bring the instance where the operation applies, before any extension covers it.
        if (operation.equals("unfreeze")) {
            operate("freeze", List.of(up), 200);
        } else if (operation.equals("rerun")) {
            operate("set-success", List.of(up), 200);
        }
        String before = status(upstream) + "/" + frozen(upstream);
        String code = register(List.of(event), workspace, Map.of());
        JsonNode held = operate(operation, List.of(up), 200);
        assertEquals("Checking", held.path("state").asText());
        assertEquals(before, status(upstream) + "/" + frozen(upstream), "nothing changes while the check runs");
        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(held.path("checkIds").path(0).asText()));
        assertEquals(event, pre.path("operation").asText());

        verdict(held.path("checkIds").path(0).asText(), code, result, "because", TENANT, 200);
        String state = get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText()).path("state").asText();
        String after = status(upstream) + "/" + frozen(upstream);
        if (result.equals("FAIL")) {
            assertEquals("FAILED", state);
            assertEquals(before, after, "refused: unchanged");
        } else {
            assertEquals("APPLIED", state);
            String expected = switch (operation) {
                case "freeze" -> "WaitResource/true";
                case "unfreeze" -> "WaitResource/false";
                case "rerun" -> "WaitResource/false";
                case "set-success" -> "Success/false";
                default -> "Failure/false";
            };
            assertEquals(expected, after, operation + " applied after " + result);
        }
    }

    @Test
    void warnPassesAndFailRefusesWithTheTipKept() {
        String code = register(List.of("pre-set-instance-success", "pre-kill-instance"), workspace, Map.of());
        long up = id(upstream);
        JsonNode killing = operate("kill", List.of(up), 200);
        verdict(killing.path("checkIds").path(0).asText(), code, "FAIL", "change freeze until Monday", TENANT, 200);
        JsonNode refused = get("/api/v1/pending-operations/" + killing.path("pendingOperationId").asText());
        assertEquals("FAILED", refused.path("state").asText());
        assertTrue(refused.path("reason").asText().contains("change freeze until Monday"), refused.toString());
        assertEquals("WaitResource", status(upstream), "a refused operation changes nothing");

        JsonNode success = operate("set-success", List.of(up), 200);
        JsonNode passed = verdict(success.path("checkIds").path(0).asText(), code, "WARN", "outside office hours", TENANT, 200);
        assertEquals("WARN", passed.path("verdicts").path(0).path("result").asText());
        assertEquals("outside office hours", passed.path("verdicts").path(0).path("tip").asText());
        assertEquals("Success", status(upstream), "WARN passes");
    }

    @Test
    void everyExtensionMustPassAndOneFailEndsTheCheck() {
        String first = register(List.of("pre-freeze-instance"), workspace, Map.of());
        String second = register(List.of("pre-freeze-instance"), workspace, Map.of());
        long up = id(upstream);
        String check = operate("freeze", List.of(up), 200).path("checkIds").path(0).asText();
        assertEquals("CHECKING", verdict(check, first, "OK", null, TENANT, 200).path("state").asText(), "one of two answered");
        assertFalse(frozen(upstream));
        assertEquals("FAILED", verdict(check, second, "FAIL", "naming convention", TENANT, 200).path("state").asText());
        assertFalse(frozen(upstream));

        String again = operate("freeze", List.of(up), 200).path("checkIds").path(0).asText();
        verdict(again, second, "OK", null, TENANT, 200);
        assertFalse(frozen(upstream));
        verdict(again, first, "WARN", null, TENANT, 200);
        assertTrue(frozen(upstream));

        // A check ended by one extension's FAIL takes no answer from the other.
        String third = operate("freeze", List.of(up), 200).path("checkIds").path(0).asText();
        verdict(third, first, "FAIL", null, TENANT, 200);
        JsonNode late = verdict(third, second, "OK", null, TENANT, 409);
        assertEquals("CheckFinished", late.path("field").asText(), late.toString());
    }

    @Test
    void theAnswersRules() {
        String code = register(List.of("pre-freeze-instance"), workspace, Map.of());
        String other = register(List.of("pre-kill-instance"), workspace, Map.of());
        String check = operate("freeze", List.of(id(upstream)), 200).path("checkIds").path(0).asText();

        verdict(check, code, "OK", null, TENANT + 1, 403);
        verdict(check, other, "OK", null, TENANT, 409);
        verdict(check, "ext_unknown", "OK", null, TENANT, 404);
        verdict("2b1e8c5e-0000-4000-8000-000000000000", code, "OK", null, TENANT, 404);
        verdict(check, code, "MAYBE", null, TENANT, 400);
        operator().body(Map.of("extensionCode", code, "checkResult", "OK", "callerTenantId", TENANT))
                .post("/api/v1/extension-checks/not-a-uuid/verdicts").then().statusCode(400);

        verdict(check, code, "OK", null, TENANT, 200);
        assertEquals("PASSED", verdict(check, code, "OK", null, TENANT, 200).path("state").asText(), "the same answer again is accepted");
        String message = verdictError(check, code, "FAIL", 409);
        assertTrue(message.contains("already answered OK"), message);
        assertTrue(frozen(upstream), "applied once, whatever the replays");
    }

    @Test
    void aSilentExtensionIsResolvedByItsTimeoutRule() {
        String failing = register(List.of("pre-freeze-instance"), workspace, Map.of("checkTimeoutSeconds", 60));
        long up = id(upstream);
        JsonNode held = operate("freeze", List.of(up), 200);
        CLOCK.set(EIGHT.plusSeconds(30 + 59));
        checks.timeouts().await().atMost(Duration.ofSeconds(10));
        assertEquals("CHECKING", get("/api/v1/extension-checks/" + held.path("checkIds").path(0).asText()).path("state").asText(),
                "not before its deadline");
        CLOCK.set(EIGHT.plusSeconds(30 + 61));
        checks.timeouts().await().atMost(Duration.ofSeconds(10));
        JsonNode failed = get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText());
        assertEquals("FAILED", failed.path("state").asText());
        assertTrue(failed.path("reason").asText().contains("did not answer in time"), failed.toString());
        assertTrue(failed.path("checks").path(0).path("verdicts").path(0).path("byRule").asBoolean());
        assertFalse(frozen(upstream));

        operator().header("X-Operator", "1201").body(Map.of("name", "x", "tenantId", TENANT, "owner", "1201", "eventCodes", List.of("pre-freeze-instance"),
                "testWorkspaceId", workspace, "checkTimeoutSeconds", 60, "timeoutResult", "OK")).put("/api/v1/extensions/" + failing).then().statusCode(200);
        JsonNode second = operate("freeze", List.of(up), 200);
        CLOCK.set(EIGHT.plusSeconds(30 + 61 + 61));
        checks.timeouts().await().atMost(Duration.ofSeconds(10));
        assertEquals("APPLIED", get("/api/v1/pending-operations/" + second.path("pendingOperationId").asText()).path("state").asText());
        assertTrue(frozen(upstream), "its timeout rule passes it");
    }

    @Test
    void whenTheTenantsEditionLapsesItsOpenChecksPassAndItsExtensionsStop() throws Exception {
        long tenant = uniqueId(), ws = uniqueId(), node = uniqueId();
        long flow = uniqueId();
        CLOCK.set(START); // deployed before the day's 08:00, so the deploy generates that instance
        operator().body(Map.of("id", flow, "tenantId", tenant, "workspaceId", ws, "env", "Prod", "name", "wf" + flow, "owner", "tester",
                "timeZone", "UTC", "nodes", List.of(node(node, "SHELL", "00 00 08 * * ?", "IMMEDIATE")))).post("/api/v1/workflows").then().statusCode(201);
        operator().header("X-Operator", "tester").post("/api/v1/workflows/" + flow + "/deploy").then().statusCode(200);
        CLOCK.set(EIGHT.plusSeconds(30));
        ticker.tick().await().atMost(Duration.ofSeconds(10));
        long instance = instance(ws, node, EIGHT).path("Id").asLong();
        String code = operator().header("X-Operator", "1201").body(Map.of("name", "guard", "tenantId", tenant, "owner", "1201",
                "eventCodes", List.of("pre-freeze-instance"), "testWorkspaceId", ws)).post("/api/v1/extensions").then().statusCode(200).extract().path("code");
        JsonNode held = operate("freeze", List.of(instance), 200);
        assertEquals("Checking", held.path("state").asText());

        // The registry's feed says the tenant is on the Standard Edition now.
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of("bootstrap.servers", bootstrap),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("registry.changes", "tenant/" + tenant,
                    "{\"kind\":\"tenant\",\"id\":\"" + tenant + "\",\"changeId\":\"" + java.util.UUID.randomUUID() + "\",\"data\":{\"id\":" + tenant
                            + ",\"edition\":\"STANDARD\"}}")).get();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText()).path("state").asText().equals("APPLIED"));
        JsonNode check = get("/api/v1/extension-checks/" + held.path("checkIds").path(0).asText());
        assertTrue(check.at("/verdicts/0/byRule").asBoolean());
        assertTrue(check.at("/verdicts/0/tip").asText().contains("edition lapsed"), check.toString());
        assertTrue(instance(ws, node, EIGHT).path("Frozen").asBoolean());
        assertEquals("Applied", operate("unfreeze", List.of(instance), 200).path("state").asText(), "no extension works off Enterprise");
        assertEquals(code, check.at("/verdicts/0/extensionCode").asText());
    }

    @Test
    void whereNoExtensionIsOnTheOperationAppliesAtOnce() {
        long elsewhere = uniqueId();
        // Unpublished: only its test workspace; and one switched off here by extension.project.disabled.
        register(List.of("pre-freeze-instance"), elsewhere, Map.of());
        register(List.of("pre-freeze-instance"), workspace, Map.of("parameters", "extension.project.disabled=" + workspace));
        assertEquals("Applied", operate("freeze", List.of(id(upstream)), 200).path("state").asText());
        assertTrue(frozen(upstream));
    }

    @Test
    void aPublishedExtensionChecksWhereAWorkspaceEnablesIt() {
        long testWorkspace = uniqueId();
        String code = register(List.of("pre-freeze-instance"), testWorkspace, Map.of());
        operator().header("X-Operator", "admin").body(Map.of("enabled", true)).put("/api/v1/extensions/" + code + "/workspaces/" + workspace)
                .then().statusCode(409).body("message", containsString("not published"));
        operator().header("X-Operator", "1201").post("/api/v1/extensions/" + code + "/publish").then().statusCode(200).body("published", org.hamcrest.Matchers.is(true));
        assertEquals("Applied", operate("freeze", List.of(id(upstream)), 200).path("state").asText(), "published but not enabled here");
        operate("unfreeze", List.of(id(upstream)), 200);

        operator().header("X-Operator", "admin").body(Map.of("enabled", true, "options", Map.of("pattern", "^tmp_")))
                .put("/api/v1/extensions/" + code + "/workspaces/" + workspace).then().statusCode(200);
        assertEquals("Checking", operate("freeze", List.of(id(upstream)), 200).path("state").asText());
        JsonNode audit = JSON.valueToTree(operator().get("/api/v1/extensions/" + code + "/audit").then().statusCode(200).extract().as(List.class));
        assertEquals(List.of("register", "publish", "enable"), audit.findValuesAsText("action"));
        JsonNode listed = JSON.valueToTree(operator().queryParam("tenantId", TENANT).get("/api/v1/extensions").then().statusCode(200).extract().as(List.class));
        JsonNode mine = java.util.stream.StreamSupport.stream(listed.spliterator(), false).filter(e -> e.path("code").asText().equals(code))
                .findFirst().orElseThrow();
        assertEquals(workspace, mine.at("/workspaces/0/workspaceId").asLong(), "the listing carries the workspace settings");
        assertEquals("^tmp_", mine.at("/workspaces/0/options/pattern").asText());
        assertEquals("admin", audit.path(2).path("operator").asText());
    }

    @Test
    void nodeFreezeAndWorkflowUndeployWaitForTheirChecks() {
        String code = register(List.of("freeze-node", "undeploy-node"), workspace, Map.of());
        JsonNode held = read(operator().header("X-Operator", "1201").post("/api/v1/nodes/" + upstream + "/freeze")
                .then().statusCode(202).extract().asString());
        assertEquals("Checking", held.path("state").asText());
        String check = held.path("checkIds").path(0).asText();
        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(check));
        assertEquals("freeze-node", pre.path("operation").asText());
        assertEquals(List.of(upstream), ids(pre.path("nodeIds")));
        assertEquals("n" + upstream, pre.path("extensionBizName").asText());
        assertFalse(nodeView(upstream).path("frozen").asBoolean());
        assertEquals(held.path("pendingOperationId").asText(), nodeView(upstream).path("checkingOperationId").asText(), "the node shows the hold");
        verdict(check, code, "OK", null, TENANT, 200);
        assertTrue(nodeView(upstream).path("frozen").asBoolean(), "applied after the check passed");
        assertFalse(nodeView(upstream).has("checkingOperationId"));
        assertEquals("APPLIED", get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText()).path("state").asText());
        assertEquals(List.of(upstream), ids(get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText()).path("nodeIds")));

        // Unfreezing is not covered: at once, 200 with the node.
        operator().header("X-Operator", "1201").post("/api/v1/nodes/" + upstream + "/unfreeze").then().statusCode(200)
                .body("frozen", org.hamcrest.Matchers.is(false));

        long workflow = nodeView(upstream).path("workflowId").asLong();
        JsonNode undeploy = read(operator().header("X-Operator", "1201").post("/api/v1/workflows/" + workflow + "/undeploy")
                .then().statusCode(202).extract().asString());
        String undeployCheck = undeploy.path("checkIds").path(0).asText();
        JsonNode undeployPre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(undeployCheck));
        assertEquals(java.util.Set.of(upstream, downstream), java.util.Set.copyOf(ids(undeployPre.path("nodeIds"))));
        verdict(undeployCheck, code, "FAIL", "release freeze", TENANT, 200);
        operator().get("/api/v1/workflows/" + workflow).then().statusCode(200)
                .body("deployedVersion", org.hamcrest.Matchers.notNullValue()); // a refused undeploy leaves the workflow deployed
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"freeze-node,OK", "freeze-node,WARN", "freeze-node,FAIL", "unfreeze-node,OK", "unfreeze-node,WARN",
            "unfreeze-node,FAIL", "undeploy-node,OK", "undeploy-node,WARN", "undeploy-node,FAIL", "deploy-file,OK", "deploy-file,WARN", "deploy-file,FAIL"})
    void everyNodeOperationWaitsForItsAnswer(String event, String result) {
        long workflow = nodeView(upstream).path("workflowId").asLong();
        if (event.equals("unfreeze-node")) {
            operator().post("/api/v1/nodes/" + upstream + "/freeze").then().statusCode(200);
        }
        String before = state(workflow);
        String code = register(List.of(event), workspace, Map.of());
        String path = switch (event) {
            case "freeze-node" -> "/api/v1/nodes/" + upstream + "/freeze";
            case "unfreeze-node" -> "/api/v1/nodes/" + upstream + "/unfreeze";
            case "undeploy-node" -> "/api/v1/workflows/" + workflow + "/undeploy";
            default -> "/api/v1/workflows/" + workflow + "/deploy";
        };
        JsonNode held = read(operator().header("X-Operator", "1201").post(path).then().statusCode(202).extract().asString());
        String check = held.path("checkIds").path(0).asText();
        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(check));
        assertEquals(event, pre.path("operation").asText());
        assertEquals(before, state(workflow), "nothing changes while the check runs");
        verdict(check, code, result, null, TENANT, 200);
        String pending = get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText()).path("state").asText();
        if (result.equals("FAIL")) {
            assertEquals("FAILED", pending);
            assertEquals(before, state(workflow), "refused: unchanged");
        } else {
            assertEquals("APPLIED", pending);
            String expected = switch (event) {
                case "freeze-node" -> "frozen/v1";
                case "unfreeze-node" -> "thawed/v1";
                case "undeploy-node" -> "thawed/none";
                default -> "thawed/v2";
            };
            assertEquals(expected, state(workflow), event + " applied after " + result);
        }
    }

    @Test
    void aDeployAppliesExactlyTheDefinitionThatWasChecked() {
        long workflow = nodeView(upstream).path("workflowId").asLong();
        String code = register(List.of("deploy-file"), workspace, Map.of());
        JsonNode held = read(operator().header("X-Operator", "1201").post("/api/v1/workflows/" + workflow + "/deploy").then().statusCode(202)
                .extract().asString());
        // The definition changes while the deploy waits for its answer.
        JsonNode current = get("/api/v1/workflows/" + workflow);
        Map<String, Object> changed = JSON.convertValue(current, Map.class);
        changed.keySet().retainAll(java.util.Set.of("id", "tenantId", "workspaceId", "env", "name", "owner", "timeZone", "nodes"));
        changed.put("owner", "someone-else");
        operator().body(changed).put("/api/v1/workflows/" + workflow).then().statusCode(200);
        verdict(held.path("checkIds").path(0).asText(), code, "OK", null, TENANT, 200);
        JsonNode refused = get("/api/v1/pending-operations/" + held.path("pendingOperationId").asText());
        assertEquals("REFUSED", refused.path("state").asText());
        assertTrue(refused.path("reason").asText().contains("changed after its deploy was checked"), refused.toString());
        assertEquals(1, get("/api/v1/workflows/" + workflow).path("deployedVersion").asInt(), "nothing unchecked was deployed");
    }

    /** The upstream node's frozen flag and the workflow's deployed version. */
    private String state(long workflow) {
        JsonNode wf = get("/api/v1/workflows/" + workflow);
        return (nodeView(upstream).path("frozen").asBoolean() ? "frozen" : "thawed") + "/"
                + (wf.path("deployedVersion").isNull() || wf.path("deployedVersion").isMissingNode() ? "none" : "v" + wf.path("deployedVersion").asInt());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"OK", "WARN", "FAIL"})
    void anotherServicesDeletionIsHeldAndItReportsTheOutcome(String result) {
        String code = register(List.of("delete-project"), workspace, Map.of());
        Map<String, Object> hold = Map.of("eventCode", "delete-project", "tenantId", TENANT, "workspaceId", workspace,
                "workspaceName", "finance_dw", "operator", "1201");
        JsonNode held = read(operator().body(hold).post("/api/v1/extension-holds").then().statusCode(202).extract().asString());
        String pending = held.path("pendingOperationId").asText();
        JsonNode pre = operations.await(String.valueOf(workspace), v -> v.path("operationId").asText().equals(held.path("checkIds").path(0).asText()));
        assertEquals("delete-project", pre.path("operation").asText());
        assertEquals("finance_dw", pre.path("extensionBizName").asText());
        verdict(held.path("checkIds").path(0).asText(), code, result, null, TENANT, 200);
        if (result.equals("FAIL")) {
            assertEquals("FAILED", get("/api/v1/pending-operations/" + pending).path("state").asText());
            operator().body(Map.of("applied", true)).post("/api/v1/pending-operations/" + pending + "/outcome").then().statusCode(409);
            return;
        }
        assertEquals("APPROVED", get("/api/v1/pending-operations/" + pending).path("state").asText(), "the asking service applies it");
        operator().body(Map.of("applied", true)).post("/api/v1/pending-operations/" + pending + "/outcome").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.is("APPLIED"));
        operator().body(Map.of("applied", true)).post("/api/v1/pending-operations/" + pending + "/outcome").then().statusCode(200);
        operator().body(Map.of("applied", false, "reason", "x")).post("/api/v1/pending-operations/" + pending + "/outcome").then().statusCode(409);
        // No tenant-level extension here: the asking service deletes at once.
        operator().body(Map.of("eventCode", "delete-project", "tenantId", TENANT, "workspaceId", uniqueId(), "workspaceName", "other",
                "operator", "1201")).post("/api/v1/extension-holds").then().statusCode(200).body("state", org.hamcrest.Matchers.is("NotChecked"));
    }

    @Test
    void registrationRefusesWhatTheSystemCannotCheck() {
        Map<String, Object> body = new HashMap<>(Map.of("name", "x", "tenantId", TENANT, "owner", "1201", "testWorkspaceId", workspace,
                "eventCodes", List.of("pre-deploy-table")));
        operator().header("X-Operator", "1201").body(body).post("/api/v1/extensions").then().statusCode(400)
                .body("code", org.hamcrest.Matchers.is("InvalidParameter")).body("message", containsString("pre-freeze-instance"));
        body.put("eventCodes", List.of("pre-freeze-instance"));
        body.put("parameters", "no equals sign");
        operator().header("X-Operator", "1201").body(body).post("/api/v1/extensions").then().statusCode(400);
        body.remove("parameters");
        body.put("detailUrl", "ftp://example.com/x");
        operator().header("X-Operator", "1201").body(body).post("/api/v1/extensions").then().statusCode(400);
        body.remove("detailUrl");
        body.put("eventCodes", List.of("delete-project", "pre-freeze-instance"));
        operator().header("X-Operator", "1201").body(body).post("/api/v1/extensions").then().statusCode(400).body("message", containsString("one level"));
        body.put("eventCodes", List.of("pre-freeze-instance"));
        operator().body(body).post("/api/v1/extensions").then().statusCode(400).body("message", containsString("X-Operator"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private String register(List<String> events, long testWorkspace, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "check " + uniqueId(), "tenantId", TENANT, "owner", "1201",
                "eventCodes", events, "testWorkspaceId", testWorkspace, "detailUrl", "https://extensions.example.com/x"));
        body.putAll(extra);
        return operator().header("X-Operator", "1201").body(body).post("/api/v1/extensions").then().statusCode(200).extract().path("code");
    }

    private JsonNode operate(String op, List<Long> ids, int expected) {
        return read(operator().header("X-Operator", "1201").body(Map.of("instanceIds", ids)).post("/api/v1/instance-operations/" + op)
                .then().statusCode(expected).extract().asString());
    }

    private JsonNode verdict(String check, String code, String result, String tip, long caller, int expected) {
        Map<String, Object> body = new HashMap<>(Map.of("extensionCode", code, "checkResult", result, "callerTenantId", caller));
        if (tip != null) {
            body.put("tip", tip);
        }
        return read(operator().body(body).post("/api/v1/extension-checks/" + check + "/verdicts").then().statusCode(expected).extract().asString());
    }

    private String verdictError(String check, String code, String result, int expected) {
        return verdict(check, code, result, null, TENANT, expected).path("message").asText();
    }

    private JsonNode nodeView(long id) {
        return get("/api/v1/nodes/" + id);
    }

    private JsonNode get(String path) {
        return read(operator().get(path).then().statusCode(200).extract().asString());
    }

    private boolean frozen(long node) {
        return instance(workspace, node, EIGHT).path("Frozen").asBoolean();
    }

    private String status(long node) {
        return instance(workspace, node, EIGHT).path("Status").asText();
    }

    private long id(long node) {
        return instance(workspace, node, EIGHT).path("Id").asLong();
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
