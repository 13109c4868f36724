package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node-change-created/updated/deleted records on scheduler.instance-operations: which deploys,
 * undeploys, freezes and in-place edits raise which, with the node's settings and the operator,
 * in order per node (one workspace key), and nothing for a change that changes nothing.
 */
@QuarkusTest
class NodeChangesTest {

    static final Instant START = Instant.parse("2026-11-22T01:00:00Z");

    static TopicReader operations;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    long workspace;
    long workflow;
    long a;
    long b;

    @BeforeEach
    void workflow() {
        if (operations == null) {
            operations = new TopicReader(bootstrap, "scheduler.instance-operations");
        }
        CLOCK.set(START);
        workspace = uniqueId();
        workflow = uniqueId();
        a = uniqueId();
        b = uniqueId();
        save(List.of(node(a, "SHELL", "00 00 08 * * ?", "T_PLUS_1"), node(b, "HTTP_TRIGGER", "00 30 08 * * ?", "T_PLUS_1", a)), true);
        deployAs("1201");
    }

    @AfterAll
    static void close() {
        if (operations != null) {
            operations.close();
        }
    }

    @Test
    void aFirstDeployCreatesEachNodeWithItsSettings() {
        List<JsonNode> created = awaitChanges(2);
        assertEquals(List.of(Math.min(a, b), Math.max(a, b)), created.stream().map(r -> r.path("nodeIds").path(0).asLong()).toList(),
                "one record per node, in node id order");
        JsonNode shell = created.stream().filter(r -> r.path("nodeIds").path(0).asLong() == a).findFirst().orElseThrow();
        assertEquals(List.of(a), ids(shell.path("nodeIds")));
        assertEquals(1002, shell.path("tenantId").asLong());
        assertEquals("1201", shell.path("operator").asText());
        assertEquals(START.toEpochMilli(), shell.path("operationTime").asLong());
        JsonNode node = shell.path("details");
        assertEquals("n" + a, node.path("nodeName").asText());
        assertEquals("DIDE_SHELL", node.path("programType").asText());
        assertEquals("00 00 08 * * ?", node.path("cronExpress").asText());
        assertEquals("NORMAL", node.path("schedulerType").asText());
        assertEquals("tester", node.path("ownerId").asText());
        assertEquals("default", node.path("resourceGroup").asText());
        assertEquals(workflow, node.path("workflowId").asLong());
        assertTrue(node.path("repeatability").asBoolean());
        assertEquals(START.toEpochMilli(), node.path("createTime").asLong());
        assertEquals(START.toEpochMilli(), node.path("modifyTime").asLong());
        assertEquals("HTTP_TRIGGER", created.stream().filter(r -> r.path("nodeIds").path(0).asLong() == b).findFirst().orElseThrow()
                .path("details").path("programType").asText());
    }

    @Test
    void aRedeployRaisesCreatedUpdatedAndDeletedForWhatItChanged() {
        CLOCK.set(START.plusSeconds(60));
        deployAs("1202"); // the same definition: no node changes (the list below has nothing for it)

        long c = uniqueId();
        Map<String, Object> changed = new HashMap<>(node(a, "SHELL", "00 15 09 * * ?", "T_PLUS_1"));
        save(List.of(changed, node(c, "SHELL", "00 00 10 * * ?", "T_PLUS_1")), false);
        CLOCK.set(START.plusSeconds(120));
        deployAs("1202");
        List<JsonNode> all = awaitChanges(5);
        assertEquals(List.of("node-change-created", "node-change-created", "node-change-created", "node-change-updated", "node-change-deleted"),
                all.stream().map(r -> r.path("operation").asText()).toList());
        JsonNode updated = all.get(3);
        assertEquals(List.of(a), ids(updated.path("nodeIds")));
        assertEquals("00 15 09 * * ?", updated.path("details").path("cronExpress").asText());
        assertEquals(START.toEpochMilli(), updated.path("details").path("createTime").asLong(), "created when first deployed");
        assertEquals(START.plusSeconds(120).toEpochMilli(), updated.path("details").path("modifyTime").asLong());
        assertEquals("1202", updated.path("operator").asText());
        assertEquals(List.of(c), ids(all.get(2).path("nodeIds")));
        assertEquals(List.of(b), ids(all.get(4).path("nodeIds")), "the node the redeploy dropped");
    }

    @Test
    void freezingEditingAndUndeployingRaiseTheirEventsInOrder() {
        operator().header("X-Operator", "1203").post("/api/v1/nodes/" + a + "/freeze").then().statusCode(200);
        operator().header("X-Operator", "1203").post("/api/v1/nodes/" + a + "/freeze").then().statusCode(200); // no change
        operator().header("X-Operator", "1203").post("/api/v1/nodes/" + a + "/unfreeze").then().statusCode(200);
        operator().header("X-Operator", "1204").body(Map.of("owner", "1299")).patch("/api/v1/nodes/" + a).then().statusCode(200);
        operator().header("X-Operator", "1204").body(Map.of("owner", "1299")).patch("/api/v1/nodes/" + a).then().statusCode(200); // same owner
        operator().header("X-Operator", "1205").post("/api/v1/workflows/" + workflow + "/undeploy").then().statusCode(200);

        List<JsonNode> ofA = awaitChanges(7).stream().filter(r -> ids(r.path("nodeIds")).equals(List.of(a))).toList();
        assertEquals(List.of("node-change-created", "node-change-updated", "node-change-updated", "node-change-updated", "node-change-deleted"),
                ofA.stream().map(r -> r.path("operation").asText()).toList(), "one node's changes in the order they happened");
        assertEquals("PAUSE", ofA.get(1).path("details").path("schedulerType").asText(), "a frozen node is a paused task");
        assertEquals("NORMAL", ofA.get(2).path("details").path("schedulerType").asText());
        assertEquals("1299", ofA.get(3).path("details").path("ownerId").asText());
        assertEquals("1204", ofA.get(3).path("operator").asText());
        assertEquals("1205", ofA.get(4).path("operator").asText());
        assertEquals(2, awaitChanges(7).stream().filter(r -> r.path("operation").asText().equals("node-change-deleted")).count(),
                "the undeploy deletes every deployed node");
        // The in-place owner change is kept by the next deploy.
        JsonNode definition = operator().get("/api/v1/workflows/" + workflow).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals("1299", definition.path("nodes").path(0).path("owner").asText());
    }

    @Test
    void badInPlaceEditsAreRefusedAndChangeNothing() {
        operator().body(Map.of("resourceGroup", "nope")).patch("/api/v1/nodes/" + a).then().statusCode(400);
        operator().body(Map.of()).patch("/api/v1/nodes/" + a).then().statusCode(400);
        operator().body(Map.of("owner", " ")).patch("/api/v1/nodes/" + a).then().statusCode(400);
        operator().body(Map.of("owner", "x")).patch("/api/v1/nodes/" + uniqueId()).then().statusCode(404);
        operator().body(Map.of("resourceGroup", "default")).patch("/api/v1/nodes/" + a).then().statusCode(200); // the group it has
        operator().header("X-Operator", "1203").post("/api/v1/nodes/" + b + "/freeze").then().statusCode(200); // a marker after them
        List<JsonNode> all = awaitChanges(3);
        assertEquals(List.of("node-change-created", "node-change-created", "node-change-updated"),
                all.stream().map(r -> r.path("operation").asText()).toList(), "only the marker after the creations");
        assertEquals(b, all.get(2).path("nodeIds").path(0).asLong());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void save(List<Map<String, Object>> nodes, boolean create) {
        Map<String, Object> body = Map.of("id", workflow, "tenantId", 1002, "workspaceId", workspace, "env", "Prod", "name", "wf" + workflow,
                "owner", "tester", "timeZone", "UTC", "nodes", nodes);
        if (create) {
            operator().body(body).post("/api/v1/workflows").then().statusCode(201);
        } else {
            operator().body(body).put("/api/v1/workflows/" + workflow).then().statusCode(200);
        }
    }

    private void deployAs(String operator) {
        operator().header("X-Operator", operator).post("/api/v1/workflows/" + workflow + "/deploy").then().statusCode(200);
    }

    /** This workspace's node change records in topic order, once there are {@code n}; fails if there are more. */
    private List<JsonNode> awaitChanges(int n) {
        List<List<JsonNode>> found = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            List<JsonNode> out = operations.values(String.valueOf(workspace)).stream()
                    .filter(v -> v.path("operation").asText().startsWith("node-change-")).toList();
            found.add(0, out);
            return out.size() >= n;
        });
        assertEquals(n, found.get(0).size(), "node change records: " + found.get(0));
        return found.get(0);
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }
}
