package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.EventSchemas;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.InstanceOperationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sample record of {@code scheduler.instance-operations} (contracts/scheduler-records.md)
 * and its variants become events the schemas accept; records no schema could accept are refused.
 */
class InstanceOperationMappingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TenantEntry TENANT = new TenantEntry(1002, "1234567890123456", "cn-shanghai", "Asia/Shanghai");

    /** The contract's sample, with a real operation id. */
    static final String SAMPLE = """
            {"operationId":"5c1e2a8f-3b7d-4d0e-9c61-2f4b8a7d9e10","operation":"rerun-instance","tenantId":1002,"workspaceId":2002,
             "env":"Prod","operator":"1201","operationTime":1763769601000,
             "taskInstanceIds":[100123,100124],"upstreamTaskInstanceIds":null,"owner":null}
            """;

    final InstanceOperationMapper mapper = new InstanceOperationMapper(JSON);
    final CloudEventFactory factory = new CloudEventFactory(JSON);

    @Test
    void theContractSampleBecomesAValidRerunEvent() throws Exception {
        JsonNode event = event(SAMPLE, "rerun-instance");
        assertEquals("5c1e2a8f-3b7d-4d0e-9c61-2f4b8a7d9e10", event.get("id").asText());
        assertEquals("dataworks:InstanceChange:RerunInstance", event.get("type").asText());
        assertEquals("acs.dataworks:cn-shanghai:1234567890123456:workspace/2002", event.get("subject").asText());
        assertEquals("2025-11-22T08:00:01.000+08:00", event.get("time").asText());
        assertEquals(JSON.readTree("""
                {"eventCode":"rerun-instance","tenantId":1002,"projectId":2002,"projectType":"PROD","operator":"1201",
                 "taskIds":[100123,100124]}"""), event.get("data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"freeze-instance", "unfreeze-instance", "kill-instance", "set-instance-success"})
    void theOtherOperatorActionsShareTheLayout(String operation) throws Exception {
        ObjectNode record = sample().put("operation", operation).put("env", "Dev");
        JsonNode event = event(record.toString(), operation);
        assertEquals(operation, event.at("/data/eventCode").asText());
        assertEquals("DEV", event.at("/data/projectType").asText());
    }

    @Test
    void dependencyRemovalNamesItsInstance() throws Exception {
        ObjectNode record = sample().put("operation", "delete-task-instance-dependencies");
        record.putArray("taskInstanceIds").add(100125);
        record.putArray("upstreamTaskInstanceIds").add(100123).add(100124);
        JsonNode event = event(record.toString(), "delete-task-instance-dependencies");
        assertEquals("acs.dataworks:cn-shanghai:1234567890123456:workspace/2002/instance/100125", event.get("subject").asText());
        assertEquals(JSON.readTree("""
                {"eventCode":"delete-task-instance-dependencies","tenantId":1002,"appId":2002,"taskInstanceId":100125,
                 "upstreamTaskInstanceIds":[100123,100124],"operator":"1201","operationTime":1763769601000,"blockBusiness":false}"""),
                event.get("data"));
    }

    @Test
    void expiryOmitsTheOperator() throws Exception {
        ObjectNode record = sample().put("operation", "expired-task-instances-deleted").put("operator", "scheduler").put("owner", "1107000538");
        record.remove("env");
        JsonNode event = event(record.toString(), "expired-task-instances-deleted");
        assertEquals(JSON.readTree("""
                {"eventCode":"expired-task-instances-deleted","tenantId":1002,"appId":2002,"deletedTaskInstanceIds":[100123,100124],
                 "owner":"1107000538","operationTime":1763769601000,"blockBusiness":false}"""), event.get("data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"operation:pre-deploy-file", "operation:instance-status-changes", "operation:null", "env:Test",
            "env:null", "operator:null", "operator:", "taskInstanceIds:[]", "taskInstanceIds:null", "taskInstanceIds:[-1]",
            "operationTime:null", "workspaceId:null", "tenantId:-5"})
    void recordsThatCannotBecomeValidEventsAreRejected(String change) throws Exception {
        assertRejected(sample(), change);
    }

    @ParameterizedTest
    @ValueSource(strings = {"taskInstanceIds:[1,2]", "upstreamTaskInstanceIds:null", "operator:null"})
    void dependencyRemovalsThatCannotBecomeValidEventsAreRejected(String change) throws Exception {
        ObjectNode record = sample().put("operation", "delete-task-instance-dependencies");
        record.putArray("taskInstanceIds").add(100125);
        record.putArray("upstreamTaskInstanceIds").add(100123);
        assertRejected(record, change);
    }

    @Test
    void anExpiryOfANodeWithoutOwnerIsPublishedWithAnEmptyOwner() throws Exception {
        ObjectNode record = sample().put("operation", "expired-task-instances-deleted").put("operator", "scheduler");
        record.remove("owner");
        assertEquals("", event(record.toString(), "expired-task-instances-deleted").at("/data/owner").asText());
        assertEquals("", event(record.put("owner", "").toString(), "expired-task-instances-deleted").at("/data/owner").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pre-freeze-instance", "pre-unfreeze-instance", "pre-rerun-instance", "pre-set-instance-success", "pre-kill-instance"})
    void extensionPointEventsCarryTheHeldOperationAndBlockBusiness(String operation) throws Exception {
        ObjectNode record = sample().put("operation", operation).put("extensionBizId", "7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e")
                .put("extensionBizName", "daily_orders,daily_users");
        JsonNode event = event(record.toString(), operation);
        assertEquals("5c1e2a8f-3b7d-4d0e-9c61-2f4b8a7d9e10", event.get("id").asText(), "the event id is the check's, the callbacks' MessageId");
        assertEquals(JSON.readTree("""
                {"eventCode":"%s","tenantId":1002,"extensionBizId":"7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e",
                 "extensionBizName":"daily_orders,daily_users","projectId":2002,"taskIds":[100123,100124],"operator":"1201",
                 "blockBusiness":true}""".formatted(operation)), event.get("data"));
        JsonNode fc = FcMessage.of(JSON, event);
        assertEquals("7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e", fc.get("extensionBizId").asText());
        assertEquals(true, fc.get("blockBusiness").asBoolean());
        EventSchemas.assertValid("fc-message.schema.json", fc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"freeze-node", "unfreeze-node", "undeploy-node", "deploy-file"})
    void nodeExtensionPointEventsNameTheirNodes(String operation) throws Exception {
        ObjectNode record = sample().put("operation", operation).put("extensionBizId", "7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e")
                .put("extensionBizName", "prod_orders,prod_users");
        record.remove("taskInstanceIds");
        record.putArray("nodeIds").add(4001).add(4002);
        JsonNode event = event(record.toString(), operation);
        assertEquals(JSON.readTree("""
                {"eventCode":"%s","tenantId":1002,"operator":"1201","projectId":2002,"nodeIds":[4001,4002],
                 "extensionBizId":"7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e","extensionBizName":"prod_orders,prod_users","blockBusiness":true}"""
                .formatted(operation)), event.get("data"));
        record.putArray("nodeIds");
        assertThrows(IllegalArgumentException.class, () -> mapper.validate(JSON.readValue(record.toString(), InstanceOperationRecord.class)));
    }

    @Test
    void workspaceDeletionIsATenantLevelExtensionPoint() throws Exception {
        ObjectNode record = sample().put("operation", "delete-project").put("extensionBizId", "7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e")
                .put("extensionBizName", "finance_dw");
        record.remove("taskInstanceIds");
        record.remove("env");
        JsonNode event = event(record.toString(), "delete-project");
        assertEquals("dataworks:ProjectChange:DeleteProject", event.get("type").asText());
        assertEquals(JSON.readTree("""
                {"eventCode":"delete-project","tenantId":1002,"projectId":2002,"operator":"1201",
                 "extensionBizId":"7d0c6a52-93a4-4c8b-8f7e-0f6a1b2c3d4e","extensionBizName":"finance_dw","blockBusiness":true}"""), event.get("data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"extensionBizId:null", "extensionBizName:null", "extensionBizId:", "operator:null", "taskInstanceIds:[]"})
    void extensionPointEventsWithoutTheirMembersAreRejected(String change) throws Exception {
        ObjectNode record = sample().put("operation", "pre-freeze-instance").put("extensionBizId", "7d0c6a52").put("extensionBizName", "n");
        assertRejected(record, change);
    }

    private void assertRejected(ObjectNode record, String change) throws Exception {
        int colon = change.indexOf(':');
        String field = change.substring(0, colon), value = change.substring(colon + 1);
        if (value.equals("null")) {
            record.putNull(field);
        } else if (value.startsWith("[") || value.startsWith("-")) {
            record.set(field, JSON.readTree(value));
        } else {
            record.put(field, value);
        }
        InstanceOperationRecord parsed = JSON.readValue(record.toString(), InstanceOperationRecord.class);
        assertThrows(IllegalArgumentException.class, () -> mapper.validate(parsed), change);
    }

    private static ObjectNode sample() throws Exception {
        return (ObjectNode) JSON.readTree(SAMPLE);
    }

    private JsonNode event(String record, String operation) throws Exception {
        InstanceOperationRecord parsed = JSON.readValue(record, InstanceOperationRecord.class);
        mapper.validate(parsed);
        EventDraft draft = mapper.draft(parsed, parsed.changeId(), TENANT);
        assertEquals("2002", draft.key(), "operation events are keyed by the workspace");
        JsonNode event = JSON.readTree(
                factory.write(draft, TENANT, "default", Instant.parse("2026-11-22T08:00:02.345Z"), Optional.empty()));
        EventSchemas.assertValid(operation + ".schema.json", event);
        return event;
    }
}
