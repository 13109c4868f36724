package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scheduler.alerts} records (contracts/scheduler-records.md#alerts) in, one
 * {@code workbench-monitor-alert} event each on the tenant's bus out, over the real broker;
 * validated against contracts/events and compared member by member with reference 002's task
 * rule alert and resource group rule alert.
 */
@QuarkusTest
class MonitorAlertEventsTest {

    static final String TYPE = "dataworks:MonitorAlert:WorkbenchMonitorAlert";
    /** 2025-11-22T00:00:01Z, i.e. 08:00:01 in the test tenants' Asia/Shanghai. */
    static final long FIRED_AT = 1763769601000L;
    static final String LOCAL_TIME = "2025-11-22T08:00:01.000+08:00";
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    Feeds feeds;
    KafkaProducer<String, String> producer;

    @BeforeEach
    void open() {
        feeds = new Feeds(bootstrap);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void close() {
        producer.close();
        feeds.close();
    }

    @ParameterizedTest
    @CsvSource({"ERROR, Error alert", "TIMEOUT, Too long", "FINISHED, Done", "UNFINISHED, Late"})
    void aNodeRulesAlertBecomesTheTaskRuleAlertOnce(String remindType, String remindName) {
        Feeds.Tenant t = feeds.tenant("default");
        long rule = Api.uniqueId();
        Map<String, Object> r = record(t, rule, remindName, "NODE", remindType);
        r.put("nodeIds", List.of(1000005472L, 1000005473L, 1000005473L));
        r.put("taskIds", List.of(3070000896L, 3070000870L, 3070000855L));
        String id = send(rule, r);

        JsonNode event = awaitOnceOnBus(t, rule, id);
        JsonNode data = event.get("data");
        assertEquals(Set.of("eventCode", "alarmType", "nodeIds", "projectId", "remindId", "remindName", "remindType", "remindUnit",
                "taskIds", "tenantId"), names(data));
        assertEquals("workbench-monitor-alert", data.get("eventCode").asText());
        assertEquals("REMIND_ALERT", data.get("alarmType").asText());
        assertEquals("1000005472,1000005473,1000005473", data.get("nodeIds").asText(), "one node per instance, in order");
        assertEquals("3070000896,3070000870,3070000855", data.get("taskIds").asText());
        assertTrue(data.get("nodeIds").isTextual() && data.get("taskIds").isTextual(), "comma-separated strings");
        assertEquals(t.workspaceId(), data.get("projectId").asLong());
        assertTrue(data.get("projectId").isIntegralNumber() && data.get("remindId").isIntegralNumber() && data.get("tenantId").isIntegralNumber());
        assertEquals(rule, data.get("remindId").asLong());
        assertEquals(remindName, data.get("remindName").asText());
        assertEquals(remindType, data.get("remindType").asText());
        assertEquals("NODE", data.get("remindUnit").asText());
        assertEquals(t.tenantId(), data.get("tenantId").asLong());

        // The contract holds the consumers' side too: ids as arrays, a missing taskIds, a group type on a node rule are refused.
        for (Map.Entry<String, Object> wrong : Map.<String, Object>of("nodeIds", List.of(1, 2), "taskIds", "", "remindType",
                "RES_GROUP_THRESHOLD", "alarmType", "SLA_ALERT").entrySet()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = event.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("data")).set(wrong.getKey(), JSON.valueToTree(wrong.getValue()));
            assertTrue(!EventSchemas.problems("workbench-monitor-alert.schema.json", copy).isEmpty(), "accepted " + wrong);
        }
        com.fasterxml.jackson.databind.node.ObjectNode noTasks = event.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) noTasks.get("data")).remove("taskIds");
        assertTrue(!EventSchemas.problems("workbench-monitor-alert.schema.json", noTasks).isEmpty(), "a node alert names its instances");
    }

    @ParameterizedTest
    @CsvSource({"RES_GROUP_THRESHOLD", "RES_GROUP_WAIT_AMOUNT"})
    void aResourceGroupRulesAlertBecomesTheResourceGroupRuleAlertOnce(String remindType) {
        Feeds.Tenant t = feeds.tenant("default");
        long rule = Api.uniqueId();
        Map<String, Object> r = record(t, rule, "Exclusive Resource Group Alert", "GATEWAY_RES", remindType);
        r.put("resourceGroup", "emr_exclusive_scheduld");
        r.put("slots", 2);
        r.put("running", 2);
        r.put("waiting", 3);
        String id = send(rule, r);

        JsonNode data = awaitOnceOnBus(t, rule, id).get("data");
        assertEquals(Set.of("eventCode", "alarmType", "projectId", "remindId", "remindName", "remindType", "remindUnit",
                "resourceGroupIdentifier", "resourceGroupName", "resourceGroupType", "tenantId"), names(data), "the measures stay in the record");
        assertEquals("workbench-monitor-alert", data.get("eventCode").asText());
        assertEquals("REMIND_ALERT", data.get("alarmType").asText());
        assertEquals(t.workspaceId(), data.get("projectId").asLong());
        assertEquals(rule, data.get("remindId").asLong());
        assertEquals("Exclusive Resource Group Alert", data.get("remindName").asText());
        assertEquals(remindType, data.get("remindType").asText());
        assertEquals("GATEWAY_RES", data.get("remindUnit").asText());
        assertEquals("emr_exclusive_scheduld", data.get("resourceGroupIdentifier").asText());
        assertEquals("emr_exclusive_scheduld", data.get("resourceGroupName").asText());
        assertEquals("GATEWAY", data.get("resourceGroupType").asText());
        assertEquals(t.tenantId(), data.get("tenantId").asLong());
    }

    @Test
    void aRecordTheContractDoesNotAllowIsSkippedAndTheNextOnePublished() {
        Feeds.Tenant t = feeds.tenant("default");
        long rule = Api.uniqueId();
        Map<String, Object> unpaired = record(t, rule, "errors", "NODE", "ERROR");
        unpaired.put("nodeIds", List.of(1L, 2L));
        unpaired.put("taskIds", List.of(3L));
        Map<String, Object> wrongUnit = record(t, rule, "errors", "NODE", "RES_GROUP_THRESHOLD");
        wrongUnit.put("resourceGroup", "default");
        Map<String, Object> good = record(t, rule, "errors", "NODE", "ERROR");
        good.put("nodeIds", List.of(1L));
        good.put("taskIds", List.of(3L));
        // One key, one partition: the bad ones are decided before the good one.
        String bad1 = send(rule, unpaired), bad2 = send(rule, wrongUnit), ok = send(rule, good);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(rule), e -> ok.equals(e.path("id").asText()));
            List<String> ids = bus.values(String.valueOf(rule)).stream().map(e -> e.path("id").asText()).toList();
            assertEquals(List.of(ok), ids, "neither " + bad1 + " nor " + bad2);
        }
    }

    private static Map<String, Object> record(Feeds.Tenant t, long rule, String name, String unit, String type) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("alertId", UUID.randomUUID().toString());
        r.put("remindId", rule);
        r.put("remindName", name);
        r.put("remindUnit", unit);
        r.put("remindType", type);
        r.put("tenantId", t.tenantId());
        r.put("workspaceId", t.workspaceId());
        r.put("firedAt", FIRED_AT);
        return r;
    }

    /** Writes the record as the scheduler's outbox relay does (keyed by rule, the alert id as event-id); returns the alert id. */
    private String send(long rule, Map<String, Object> record) {
        String id = (String) record.get("alertId");
        try {
            ProducerRecord<String, String> r = new ProducerRecord<>("scheduler.alerts", String.valueOf(rule), JSON.writeValueAsString(record));
            r.headers().add("event-id", id.getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /**
     * The event of the alert on the tenant's default bus, with its envelope checked. Once: a second
     * alert of the rule, sent after it, is on the bus (same key, so same partition and order) and
     * the first alert's id is there exactly once.
     */
    private JsonNode awaitOnceOnBus(Feeds.Tenant t, long rule, String id) {
        Map<String, Object> marker = record(t, rule, "marker", "GATEWAY_RES", "RES_GROUP_WAIT_AMOUNT");
        marker.put("resourceGroup", "default");
        String next = send(rule, marker);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            String key = String.valueOf(rule);
            ConsumerRecord<String, String> record = bus.awaitRecord(key, e -> id.equals(e.path("id").asText()));
            assertEquals(TYPE, TopicReader.header(record, "event-type"));
            assertEquals(id, TopicReader.header(record, "event-id"));
            bus.await(key, e -> next.equals(e.path("id").asText()));
            List<JsonNode> ofAlert = bus.values(key).stream().filter(e -> id.equals(e.path("id").asText())).toList();
            assertEquals(1, ofAlert.size(), "one event per alert");
            JsonNode event = ofAlert.get(0);
            EventSchemas.assertValid("workbench-monitor-alert.schema.json", event);
            EventSchemas.assertValid("workbench-monitor-alert.schema.json", bus.values(key).stream()
                    .filter(e -> next.equals(e.path("id").asText())).findFirst().orElseThrow());
            assertEquals(TYPE, event.get("type").asText());
            assertEquals("acs.dataworks", event.get("source").asText());
            assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + t.workspaceId() + "/remind/" + rule,
                    event.get("subject").asText());
            assertEquals(LOCAL_TIME, event.get("time").asText(), "firedAt in the tenant's zone");
            assertEquals(t.accountId(), event.get("aliyunaccountid").asText());
            assertEquals("default", event.get("aliyuneventbusname").asText());
            return event;
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
