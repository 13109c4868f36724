package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler's node change records and backfill-data pre-events (contracts/scheduler-records.md)
 * in, reference 002's node-change-created/updated/deleted and backfill-data events out, over the
 * real broker: schema-valid, member by member, node changes keyed and ordered by node.
 */
@QuarkusTest
class NodeChangeEventsTest {

    /** 2025-11-22T00:00:01Z, i.e. 08:00:01 in the test tenants' Asia/Shanghai. */
    static final long OPERATION_TIME = 1763769601000L;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Feeds feeds;

    @BeforeEach
    void open() {
        feeds = new Feeds(bootstrap);
    }

    @AfterEach
    void close() {
        feeds.close();
    }

    @ParameterizedTest
    @CsvSource({
            "node-change-created, dataworks:NodeChange:NodeChangeCreated",
            "node-change-updated, dataworks:NodeChange:NodeChangeUpdated",
            "node-change-deleted, dataworks:NodeChange:NodeChangeDeleted"})
    void aNodeChangeBecomesItsDocumentedEvent(String operation, String type) {
        Feeds.Tenant t = feeds.tenant("default");
        long node = Api.uniqueId();
        String id = nodeChange(t, operation, node, "NORMAL", OPERATION_TIME);

        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            ConsumerRecord<String, String> record = bus.awaitRecord(String.valueOf(node), e -> id.equals(e.path("id").asText()));
            assertEquals(String.valueOf(node), record.key(), "keyed by node: one node's changes stay in order");
            assertEquals(type, TopicReader.header(record, "event-type"));
            JsonNode event = bus.await(String.valueOf(node), e -> id.equals(e.path("id").asText()));
            EventSchemas.assertValid(operation + ".schema.json", event);
            assertEquals(type, event.get("type").asText());
            assertTrue(event.get("subject").asText().endsWith(":workspace/" + t.workspaceId() + "/node/" + node), event.get("subject").asText());
            JsonNode data = event.get("data");
            assertEquals(Set.of("eventCode", "nodeName", "programType", "cronExpress", "schedulerType", "ownerId", "priority", "baselineId",
                    "repeatability", "createTime", "modifyTime", "nodeId", "projectId", "tenantId", "operator", "blockBusiness",
                    "resourceGroup", "workflowId"), names(data));
            assertEquals(operation, data.get("eventCode").asText());
            assertEquals("daily_sales", data.get("nodeName").asText());
            assertEquals("DIDE_SHELL", data.get("programType").asText());
            assertEquals("00 04 00 * * ?", data.get("cronExpress").asText());
            assertEquals("NORMAL", data.get("schedulerType").asText());
            assertEquals("1107", data.get("ownerId").asText());
            assertEquals(5, data.get("priority").asInt());
            assertTrue(data.get("baselineId").isNull(), "no baselines: an empty member");
            assertTrue(data.get("repeatability").asBoolean());
            assertEquals(1763700000000L, data.get("createTime").asLong());
            assertEquals(OPERATION_TIME, data.get("modifyTime").asLong());
            assertEquals(node, data.get("nodeId").asLong());
            assertEquals(t.workspaceId(), data.get("projectId").asLong());
            assertEquals(t.tenantId(), data.get("tenantId").asLong());
            assertEquals("1201", data.get("operator").asText());
            assertTrue(data.get("blockBusiness").isBoolean() && !data.get("blockBusiness").asBoolean());
            assertEquals("default", data.get("resourceGroup").asText());
            assertEquals(77, data.get("workflowId").asLong());
        }
    }

    @Test
    void oneNodesChangesArriveInTheirOrder() {
        Feeds.Tenant t = feeds.tenant("default");
        long node = Api.uniqueId();
        List<String> ids = List.of(nodeChange(t, "node-change-created", node, "NORMAL", OPERATION_TIME),
                nodeChange(t, "node-change-updated", node, "PAUSE", OPERATION_TIME + 1),
                nodeChange(t, "node-change-updated", node, "NORMAL", OPERATION_TIME + 2),
                nodeChange(t, "node-change-deleted", node, "NORMAL", OPERATION_TIME + 3));
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(node), e -> ids.get(3).equals(e.path("id").asText()));
            List<JsonNode> events = bus.values(String.valueOf(node));
            assertEquals(ids, events.stream().map(e -> e.path("id").asText()).toList());
            assertEquals(List.of("NORMAL", "PAUSE", "NORMAL", "NORMAL"), events.stream().map(e -> e.at("/data/schedulerType").asText()).toList());
        }
    }

    @Test
    void aBackfillPreEventCarriesTheBackfillsParameters() {
        Feeds.Tenant t = feeds.tenant("default");
        String pending = java.util.UUID.randomUUID().toString();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", "P_fff_20220418_215404");
        details.put("rootNodeId", 1000271L);
        details.put("rootNodeProjectId", t.workspaceId());
        details.put("includeNodeIds", List.of(1000271L, 1000272L));
        details.put("excludeNodeIds", List.of(1000273L));
        details.put("useMultipleTimePeriods", true);
        details.put("multipleTimePeriods", "[{\"bizBeginTime\":\"2022-04-17\",\"bizEndTime\":\"2022-04-17\"}]");
        details.put("isParallel", false);
        details.put("parallelGroup", 1);
        details.put("order", "asc");
        details.put("startFutureInstanceImmediately", false);
        String id = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "backfill-data", null, "1201", OPERATION_TIME, null,
                Map.of("extensionBizId", pending, "extensionBizName", "P_fff_20220418_215404", "details", details));
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            JsonNode event = bus.await(String.valueOf(t.workspaceId()), e -> id.equals(e.path("id").asText()));
            EventSchemas.assertValid("backfill-data.schema.json", event);
            assertEquals("dataworks:BackfillDataOperate:BackfillData", event.get("type").asText());
            JsonNode data = event.get("data");
            assertEquals(Set.of("eventCode", "name", "rootNodeId", "rootNodeProjectId", "includeNodeIds", "excludeNodeIds", "useMultipleTimePeriods",
                    "multipleTimePeriods", "isParallel", "parallelGroup", "order", "startFutureInstanceImmediately", "projectId", "tenantId",
                    "operator", "extensionBizId", "blockBusiness"), names(data));
            assertEquals("backfill-data", data.get("eventCode").asText());
            assertEquals("P_fff_20220418_215404", data.get("name").asText());
            assertEquals(1000271L, data.get("rootNodeId").asLong());
            assertEquals(t.workspaceId(), data.get("rootNodeProjectId").asLong());
            assertEquals(List.of(1000271L, 1000272L), List.of(data.at("/includeNodeIds/0").asLong(), data.at("/includeNodeIds/1").asLong()));
            assertEquals(1000273L, data.at("/excludeNodeIds/0").asLong());
            assertTrue(data.get("multipleTimePeriods").isTextual(), "a JSON text, as in the reference's sample");
            assertEquals("[{\"bizBeginTime\":\"2022-04-17\",\"bizEndTime\":\"2022-04-17\"}]", data.get("multipleTimePeriods").asText());
            assertTrue(data.get("useMultipleTimePeriods").asBoolean());
            assertEquals(false, data.get("isParallel").asBoolean());
            assertEquals(1, data.get("parallelGroup").asInt());
            assertEquals("asc", data.get("order").asText());
            assertEquals(false, data.get("startFutureInstanceImmediately").asBoolean());
            assertEquals(t.workspaceId(), data.get("projectId").asLong());
            assertEquals(t.tenantId(), data.get("tenantId").asLong());
            assertEquals("1201", data.get("operator").asText());
            assertEquals(pending, data.get("extensionBizId").asText());
            assertTrue(data.get("blockBusiness").asBoolean());
        }
    }

    @Test
    void aNodeChangeWithoutItsNodeIsSkippedAndTheNextPublished() {
        Feeds.Tenant t = feeds.tenant("default");
        long node = Api.uniqueId();
        String bad = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "node-change-updated", "Prod", "1201", OPERATION_TIME, null,
                Map.of("nodeIds", List.of(node)));
        String good = nodeChange(t, "node-change-deleted", node, "NORMAL", OPERATION_TIME + 1);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(node), e -> good.equals(e.path("id").asText()));
            assertEquals(List.of(good), bus.values(String.valueOf(node)).stream().map(e -> e.path("id").asText()).toList(), "not " + bad);
        }
    }

    private String nodeChange(Feeds.Tenant t, String operation, long node, String schedulerType, long at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("nodeId", node);
        details.put("workflowId", 77);
        details.put("nodeName", "daily_sales");
        details.put("programType", "DIDE_SHELL");
        details.put("cronExpress", "00 04 00 * * ?");
        details.put("schedulerType", schedulerType);
        details.put("ownerId", "1107");
        details.put("priority", 5);
        details.put("repeatability", true);
        details.put("resourceGroup", "default");
        details.put("createTime", 1763700000000L);
        details.put("modifyTime", at);
        return feeds.instanceOperation(t.tenantId(), t.workspaceId(), operation, "Prod", "1201", at, null,
                Map.of("nodeIds", List.of(node), "details", details));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
