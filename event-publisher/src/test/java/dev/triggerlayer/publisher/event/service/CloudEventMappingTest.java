package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.EventSchemas;
import dev.triggerlayer.publisher.directory.model.BusEntry;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.DagChangeRecord;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.InstanceChangeRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler's records (the samples of contracts/scheduler-records.md) become CloudEvents that
 * the contract schemas accept, with the documented field mapping.
 */
class CloudEventMappingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TenantEntry TENANT = new TenantEntry(1002, "1234567890123456", "cn-shanghai", "Asia/Shanghai");
    static final Instant PUBLISHED = Instant.parse("2026-11-22T08:00:02.345Z");

    /** The sample of contracts/scheduler-records.md, with a real change id. */
    static final String INSTANCE_SAMPLE = """
            {"changeId":"6f1d1b7e-1c1e-4c55-9d36-0c1f2b7a9e11","taskInstanceId":100123,"dagInstanceId":100120,"dagType":0,"nodeId":4002,
             "workflowId":3001,"tenantId":1002,"workspaceId":2002,"env":"Prod","nodeType":"HTTP_TRIGGER",
             "schedulerType":"NORMAL","taskType":0,"previousStatus":2,"status":6,"waitTrigger":false,
             "cycTime":1763769600000,"bizDate":"2026-11-21","beginWaitTimeTime":1763769600000,
             "beginWaitResTime":null,"beginRunningTime":null,"finishTime":1763769601000,
             "createTime":1763683200000,"modifyTime":1763769601000,"opCode":32,"operator":"trigger"}
            """;

    static final String DAG_SAMPLE = """
            {"changeId":"0b7f5f8e-7d0e-4f0a-8d7e-5b2b0c6f7a21","dagInstanceId":100120,"workflowId":3001,"dagName":"demo_2026-11-21",
             "workflowName":"demo","dagType":0,"tenantId":1002,"workspaceId":2002,"env":"Prod",
             "previousStatus":4,"status":6,"bizDate":"2026-11-21","createTime":1763683200000,
             "modifyTime":1763769700000,"operator":"scheduler","timeZone":"Asia/Shanghai"}
            """;

    final CloudEventFactory factory = new CloudEventFactory(JSON);
    final InstanceStatusMapper instances = new InstanceStatusMapper(JSON);
    final DagStatusMapper dags = new DagStatusMapper(JSON);

    @Test
    void instanceStatusChangeMatchesTheSchemaAndTheMapping() throws Exception {
        JsonNode event = instanceEvent(INSTANCE_SAMPLE);

        EventSchemas.assertValid("instance-status-changes.schema.json", event);
        assertEquals("1.0", event.get("specversion").asText());
        assertEquals("6f1d1b7e-1c1e-4c55-9d36-0c1f2b7a9e11", event.get("id").asText(), "id is the change id");
        assertEquals("acs.dataworks", event.get("source").asText());
        assertEquals("dataworks:InstanceStatusChanges:InstanceStatusChanges", event.get("type").asText());
        assertEquals("acs.dataworks:cn-shanghai:1234567890123456:workspace/2002/instance/100123", event.get("subject").asText());
        assertEquals("2025-11-22T08:00:01.000+08:00", event.get("time").asText(), "modifyTime in the tenant's zone");
        assertEquals("application/json;charset=utf-8", event.get("datacontenttype").asText());
        assertEquals("1234567890123456", event.get("aliyunaccountid").asText());
        assertEquals("1234567890123456", event.get("aliyunoriginalaccountid").asText(), "the producing account is the tenant's");
        assertEquals("cn-shanghai", event.get("aliyunregionid").asText());
        assertEquals("default", event.get("aliyuneventbusname").asText());
        assertEquals("2026-11-22T08:00:02.345Z", event.get("aliyunpublishtime").asText());
        assertEquals("10.0.0.7", event.get("aliyunpublishaddr").asText());

        JsonNode data = event.get("data");
        assertEquals(100123, data.get("taskId").asLong());
        assertEquals(4002, data.get("nodeId").asLong());
        assertEquals(100120, data.get("dagId").asLong());
        assertEquals(1, data.get("flowId").asLong(), "reference 002: 1 for a scheduled task instance");
        assertEquals(3001, data.get("workflowId").asLong(), "ours: the real workflow");
        assertEquals(2002, data.get("appId").asLong());
        assertEquals(1002, data.get("tenantId").asLong());
        assertEquals(6, data.get("status").asInt());
        assertEquals(0, data.get("taskType").asInt());
        assertEquals(0, data.get("dagType").asInt());
        assertEquals(32, data.get("opCode").asInt());
        assertEquals(1763683200000L, data.get("createTime").asLong());
        assertEquals(1763769601000L, data.get("modifyTime").asLong());
        assertEquals(1763769600000L, data.get("beginWaitTimeTime").asLong());
        assertEquals(1763769601000L, data.get("finishTime").asLong());
        assertEquals("instance-status-changes", data.get("eventCode").asText());
        assertTrue(data.get("taskId").isIntegralNumber() && data.get("tenantId").isIntegralNumber(), "ids are JSON numbers");
        assertFalse(data.has("beginWaitResTime"), "an unreached phase is absent, not null");
        assertFalse(data.has("beginRunningTime"));
        assertEquals(Set.of("beginWaitTimeTime", "finishTime", "dagId", "dagType", "taskType", "eventCode", "modifyTime",
                "createTime", "appId", "tenantId", "opCode", "flowId", "workflowId", "nodeId", "taskId", "status"), names(data));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void flowIdIsTheWorkflowOnlyForAManuallyTriggeredWorkflow(int dagType) throws Exception {
        ObjectNode instance = (ObjectNode) JSON.readTree(INSTANCE_SAMPLE);
        instance.put("dagType", dagType);
        JsonNode instanceEvent = instanceEvent(instance.toString());
        EventSchemas.assertValid("instance-status-changes.schema.json", instanceEvent);
        assertEquals(dagType == 5 ? 3001 : 1, instanceEvent.at("/data/flowId").asLong());
        assertEquals(3001, instanceEvent.at("/data/workflowId").asLong());

        ObjectNode dag = (ObjectNode) JSON.readTree(DAG_SAMPLE);
        dag.put("dagType", dagType);
        JsonNode dagEvent = dagEvent(dag.toString());
        EventSchemas.assertValid("dag-status-changes.schema.json", dagEvent);
        assertEquals(dagType == 5 ? 3001 : 1, dagEvent.at("/data/flowId").asLong());
        assertEquals(dagType == 5 ? "demo" : "ATCLOUD_FLOW", dagEvent.at("/data/flowName").asText());
        assertEquals(3001, dagEvent.at("/data/workflowId").asLong());
        assertEquals("demo", dagEvent.at("/data/workflowName").asText());
    }

    @Test
    void theRegionIsTheReceivingBussAndTheSubjectsTheResources() throws Exception {
        InstanceChangeRecord parsed = JSON.readValue(INSTANCE_SAMPLE, InstanceChangeRecord.class);
        EventDraft draft = instances.draft(parsed, parsed.changeId(), TENANT);
        JsonNode elsewhere = JSON.readTree(factory.write(draft, TENANT, new BusEntry(1002, "audit", "cn-beijing"), PUBLISHED, Optional.empty()));
        EventSchemas.assertValid("instance-status-changes.schema.json", elsewhere);
        assertEquals("cn-beijing", elsewhere.get("aliyunregionid").asText());
        assertEquals("audit", elsewhere.get("aliyuneventbusname").asText());
        assertEquals("acs.dataworks:cn-shanghai:1234567890123456:workspace/2002/instance/100123", elsewhere.get("subject").asText(),
                "the instance lives in the tenant's home region");
        JsonNode noRegion = JSON.readTree(factory.write(draft, TENANT, new BusEntry(1002, "audit", null), PUBLISHED, Optional.empty()));
        assertEquals("cn-shanghai", noRegion.get("aliyunregionid").asText(), "a bus without a region: the home region");
    }

    @Test
    void everyRequiredMemberOfTheSchemasIsPresent() throws Exception {
        JsonNode instance = instanceEvent(INSTANCE_SAMPLE);
        JsonNode dag = dagEvent(DAG_SAMPLE);
        JsonNode envelope = EventSchemas.raw("cloudevent-envelope.schema.json");
        for (JsonNode event : List.of(instance, dag)) {
            envelope.get("required").forEach(name -> assertTrue(event.has(name.asText()), "envelope member " + name));
        }
        EventSchemas.raw("instance-status-changes.schema.json").at("/$defs/data/required")
                .forEach(name -> assertTrue(instance.get("data").has(name.asText()), "instance data member " + name));
        EventSchemas.raw("dag-status-changes.schema.json").at("/$defs/data/required")
                .forEach(name -> assertTrue(dag.get("data").has(name.asText()), "dag data member " + name));
    }

    @Test
    void waitTriggerIsPublishedWithTheDocumentedWaitingCode() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(INSTANCE_SAMPLE);
        record.put("status", 2).put("waitTrigger", true).remove(List.of("finishTime"));
        JsonNode event = instanceEvent(record.toString());
        EventSchemas.assertValid("instance-status-changes.schema.json", event);
        assertEquals(2, event.at("/data/status").asInt());
        assertFalse(event.get("data").has("finishTime"));
    }

    @Test
    void dagStatusChangeMatchesTheSchemaAndTheMapping() throws Exception {
        JsonNode event = dagEvent(DAG_SAMPLE);

        EventSchemas.assertValid("dag-status-changes.schema.json", event);
        assertEquals("0b7f5f8e-7d0e-4f0a-8d7e-5b2b0c6f7a21", event.get("id").asText());
        assertEquals("dataworks:DagStatusChanges:DagStatusChanges", event.get("type").asText());
        assertEquals("acs.dataworks:cn-shanghai:1234567890123456:workspace/2002/dag/100120", event.get("subject").asText());
        assertEquals("2025-11-22T08:01:40.000+08:00", event.get("time").asText());
        JsonNode data = event.get("data");
        assertEquals("2026-11-21 00:00:00", data.get("bizDate").asText(), "bizDate at midnight");
        assertEquals("2025-11-21 08:00:00", data.get("createTime").asText(), "createTime in the workflow's zone");
        assertEquals(100120, data.get("dagId").asLong());
        assertEquals("demo_2026-11-21", data.get("dagName").asText());
        assertEquals(0, data.get("dagType").asInt());
        assertEquals(1, data.get("flowId").asLong(), "reference 002's example: 1 / ATCLOUD_FLOW");
        assertEquals("ATCLOUD_FLOW", data.get("flowName").asText());
        assertEquals(3001, data.get("workflowId").asLong());
        assertEquals("demo", data.get("workflowName").asText());
        assertEquals("scheduler", data.get("operator").asText());
        assertEquals("PROD", data.get("projectEnv").asText());
        assertEquals(2002, data.get("projectId").asLong());
        assertEquals(6, data.get("status").asInt());
        assertEquals(1002, data.get("tenantId").asLong());
        assertEquals("dag-status-changes", data.get("eventCode").asText());
        assertEquals(Set.of("bizDate", "createTime", "dagId", "dagName", "dagType", "flowId", "flowName", "workflowId", "workflowName", "operator",
                "projectEnv", "projectId", "status", "tenantId", "eventCode"), names(data));
    }

    @Test
    void dagTimesFollowTheWorkflowZoneAndFallBackToTheTenantZone() throws Exception {
        ObjectNode utc = (ObjectNode) JSON.readTree(DAG_SAMPLE);
        utc.put("timeZone", "UTC").put("env", "Dev");
        JsonNode inUtc = dagEvent(utc.toString());
        EventSchemas.assertValid("dag-status-changes.schema.json", inUtc);
        assertEquals("2025-11-21 00:00:00", inUtc.at("/data/createTime").asText());
        assertEquals("2025-11-22T00:01:40.000Z", inUtc.get("time").asText());
        assertEquals("DEV", inUtc.at("/data/projectEnv").asText());

        ObjectNode noZone = (ObjectNode) JSON.readTree(DAG_SAMPLE);
        noZone.remove("timeZone");
        assertEquals("2025-11-21 08:00:00", dagEvent(noZone.toString()).at("/data/createTime").asText(), "tenant's Asia/Shanghai");
    }

    @Test
    void functionComputeMessageMatchesItsSchema() throws Exception {
        JsonNode event = instanceEvent(INSTANCE_SAMPLE);
        JsonNode message = FcMessage.of(JSON, event);
        EventSchemas.assertValid("fc-message.schema.json", message);
        assertEquals(event.get("id").asText(), message.get("messageId").asText());
        assertEquals(event.get("data"), message.get("messageBody"));
        assertEquals("instance-status-changes", message.get("eventType").asText());
        assertEquals("instance-status-changes", message.get("eventCategoryType").asText());
        assertEquals("dag-status-changes", FcMessage.of(JSON, dagEvent(DAG_SAMPLE)).get("eventCategoryType").asText());
        assertEquals("instance-change", FcMessage.category("dataworks:InstanceChange:FreezeInstance"));
        EventSchemas.assertValid("fc-message.schema.json", FcMessage.of(JSON, dagEvent(DAG_SAMPLE)));
    }

    @Test
    void theValidatorRejectsWhatTheContractForbids() throws Exception {
        ObjectNode event = (ObjectNode) instanceEvent(INSTANCE_SAMPLE);
        ((ObjectNode) event.get("data")).put("status", 9);
        assertFalse(EventSchemas.problems("instance-status-changes.schema.json", event).isEmpty(), "status 9 is not documented");
        ObjectNode noAccount = (ObjectNode) instanceEvent(INSTANCE_SAMPLE);
        noAccount.remove("aliyunaccountid");
        assertFalse(EventSchemas.problems("instance-status-changes.schema.json", noAccount).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status:9", "status:0", "dagType:6", "taskType:8", "taskInstanceId:-1", "modifyTime:null", "opCode:null", "workspaceId:null"})
    void recordsThatCannotBecomeValidEventsAreRejected(String change) throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(INSTANCE_SAMPLE);
        String[] kv = change.split(":");
        if (kv[1].equals("null")) {
            record.putNull(kv[0]);
        } else {
            record.put(kv[0], Long.parseLong(kv[1]));
        }
        InstanceChangeRecord parsed = JSON.readValue(record.toString(), InstanceChangeRecord.class);
        assertThrows(IllegalArgumentException.class, () -> instances.validate(parsed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status:2", "status:7", "env:Test", "bizDate:21.11.2026", "dagType:9"})
    void dagRecordsThatCannotBecomeValidEventsAreRejected(String change) throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(DAG_SAMPLE);
        String[] kv = change.split(":");
        if (kv[1].chars().allMatch(Character::isDigit)) {
            record.put(kv[0], Integer.parseInt(kv[1]));
        } else {
            record.put(kv[0], kv[1]);
        }
        DagChangeRecord parsed = JSON.readValue(record.toString(), DagChangeRecord.class);
        assertThrows(IllegalArgumentException.class, () -> dags.validate(parsed));
    }

    @Test
    void unknownRecordMembersAreIgnored() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(INSTANCE_SAMPLE);
        record.put("someFutureMember", "x");
        InstanceChangeRecord parsed = JSON.readValue(record.toString(), InstanceChangeRecord.class);
        instances.validate(parsed);
        assertEquals(100123L, parsed.taskInstanceId());
    }

    private JsonNode instanceEvent(String record) throws Exception {
        InstanceChangeRecord parsed = JSON.readValue(record, InstanceChangeRecord.class);
        instances.validate(parsed);
        EventDraft draft = instances.draft(parsed, parsed.changeId(), TENANT);
        assertEquals("100123", draft.key(), "instance events are keyed by the task instance");
        return JSON.readTree(factory.write(draft, TENANT, "default", PUBLISHED, Optional.of("10.0.0.7")));
    }

    private JsonNode dagEvent(String record) throws Exception {
        DagChangeRecord parsed = JSON.readValue(record, DagChangeRecord.class);
        dags.validate(parsed);
        EventDraft draft = dags.draft(parsed, parsed.changeId(), TENANT);
        assertEquals("100120", draft.key(), "DAG events are keyed by the DAG instance");
        return JSON.readTree(factory.write(draft, TENANT, "default", PUBLISHED, Optional.empty()));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
