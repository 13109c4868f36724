package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Writes what the other services would: registry feed records (as the registry's outbox relay
 * does, contracts/registry-feed.md) and scheduler change records (contracts/scheduler-records.md).
 */
public final class Feeds implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tenant with one workspace, as most tests need it. */
    public record Tenant(long tenantId, long workspaceId, String accountId, String region) {
    }

    private final KafkaProducer<String, String> producer;

    public Feeds(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new StringSerializer());
    }

    /** A tenant in cn-hangzhou (Asia/Shanghai) with a publishing workspace and, if named, buses. */
    public Tenant tenant(String... buses) {
        long tenantId = Api.uniqueId();
        String accountId = String.valueOf(Api.uniqueId());
        tenant(tenantId, accountId, "cn-hangzhou", "Asia/Shanghai");
        long workspaceId = Api.uniqueId();
        workspace(workspaceId, tenantId, true);
        for (String bus : buses) {
            bus(tenantId, bus, "cn-hangzhou");
        }
        return new Tenant(tenantId, workspaceId, accountId, "cn-hangzhou");
    }

    /** An Enterprise Edition tenant: only those receive events. */
    public void tenant(long id, String accountId, String homeRegion, String timeZone) {
        tenant(id, accountId, homeRegion, timeZone, "ENTERPRISE");
    }

    public void tenant(long id, String accountId, String homeRegion, String timeZone, String edition) {
        registry("tenant", String.valueOf(id), Map.of("id", id, "name", "t" + id, "accountId", accountId,
                "edition", edition, "httpTriggerNodesAllowed", edition.equals("ENTERPRISE"), "homeRegion", homeRegion, "timeZone", timeZone));
    }

    public void workspace(long id, long tenantId, boolean publishEvents) {
        workspace(id, tenantId, publishEvents, null);
    }

    /** A workspace whose events go to {@code eventBusName} (null: the tenant's default bus). */
    public void workspace(long id, long tenantId, boolean publishEvents, String eventBusName) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("id", id, "tenantId", tenantId, "name", "ws" + id,
                "environments", new String[] {"Prod", "Dev"}, "publishEvents", publishEvents));
        data.put("eventBusName", eventBusName);
        registry("workspace", String.valueOf(id), data);
    }

    /**
     * What the registry writes when it deletes a workspace: the tombstone on the feed and the
     * workspace-deleted record (contracts/registry-feed.md, "Workspace events"). Returns its change id.
     */
    public String workspaceDeleted(long tenantId, long workspaceId, String name, String eventBusName, String operator, long deletedAt) {
        deleted("workspace", String.valueOf(workspaceId));
        String changeId = UUID.randomUUID().toString();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changeId", changeId);
        r.put("type", "workspace-deleted");
        r.put("tenantId", tenantId);
        r.put("workspaceId", workspaceId);
        r.put("workspaceName", name);
        r.put("publishEvents", true);
        r.put("eventBusName", eventBusName);
        r.put("operator", operator);
        r.put("deletedAt", deletedAt);
        send("registry.workspace-events", String.valueOf(tenantId), json(r), null);
        return changeId;
    }

    public void bus(long tenantId, String name, String regionId) {
        registry("event-bus", tenantId + "/" + name, Map.of("tenantId", tenantId, "name", name, "regionId", regionId,
                "createdAt", Instant.now().toString()));
    }

    /** A tombstone: the entity was deleted. */
    public void deleted(String kind, String id) {
        send("registry.changes", kind + "/" + id, null, null);
    }

    /** A task instance status change of the tenant's workspace; returns its change id. */
    public String instanceChange(Tenant t, long taskInstanceId, int status, long modifyTime) {
        return instanceChange(t.tenantId(), t.workspaceId(), taskInstanceId, status, modifyTime);
    }

    public String instanceChange(long tenantId, long workspaceId, long taskInstanceId, int status, long modifyTime) {
        return instanceChange(tenantId, workspaceId, taskInstanceId, status, modifyTime, UUID.randomUUID().toString());
    }

    /** With a given change id: the same id again is a redelivery of one change. */
    public String instanceChange(long tenantId, long workspaceId, long taskInstanceId, int status, long modifyTime, String changeId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changeId", changeId);
        r.put("taskInstanceId", taskInstanceId);
        r.put("dagInstanceId", taskInstanceId + 1);
        r.put("dagType", 0);
        r.put("nodeId", 4002);
        r.put("workflowId", 3001);
        r.put("tenantId", tenantId);
        r.put("workspaceId", workspaceId);
        r.put("env", "Prod");
        r.put("nodeType", "HTTP_TRIGGER");
        r.put("schedulerType", "NORMAL");
        r.put("taskType", 0);
        r.put("previousStatus", 2);
        r.put("status", status);
        r.put("waitTrigger", false);
        r.put("cycTime", 1763769600000L);
        r.put("bizDate", "2026-11-21");
        r.put("beginWaitTimeTime", 1763769600000L);
        r.put("createTime", 1763683200000L);
        r.put("modifyTime", modifyTime);
        r.put("opCode", 31);
        r.put("operator", "scheduler");
        send("scheduler.instance-changes", String.valueOf(taskInstanceId), json(r), changeId);
        return changeId;
    }

    /** A DAG status change of the tenant's workspace (a backfill, dagType 3); returns its change id. */
    public String dagChange(Tenant t, long dagInstanceId, int status) {
        return dagChange(t, dagInstanceId, status, 3);
    }

    public String dagChange(Tenant t, long dagInstanceId, int status, int dagType) {
        String changeId = UUID.randomUUID().toString();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changeId", changeId);
        r.put("dagInstanceId", dagInstanceId);
        r.put("workflowId", 3001);
        r.put("dagName", "demo_2026-11-21");
        r.put("workflowName", "demo");
        r.put("dagType", dagType);
        r.put("tenantId", t.tenantId());
        r.put("workspaceId", t.workspaceId());
        r.put("env", "Dev");
        r.put("previousStatus", 4);
        r.put("status", status);
        r.put("bizDate", "2026-11-21");
        r.put("createTime", 1763683200000L);
        r.put("modifyTime", 1763769700000L);
        r.put("operator", "207947397706614299");
        r.put("timeZone", "Asia/Shanghai");
        send("scheduler.dag-changes", String.valueOf(dagInstanceId), json(r), changeId);
        return changeId;
    }

    /**
     * An instance operation of {@code scheduler.instance-operations}, as the contract shows it:
     * keyed by the workspace, null members omitted. Returns its operation id.
     *
     * @param extra members of particular operations ({@code upstreamTaskInstanceIds}, {@code owner},
     *              {@code descendants}), or ones that override the defaults
     */
    public String instanceOperation(long tenantId, long workspaceId, String operation, String env, String operator,
                                    long operationTime, List<Long> taskInstanceIds, Map<String, Object> extra) {
        String operationId = UUID.randomUUID().toString();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operationId", operationId);
        r.put("operation", operation);
        r.put("tenantId", tenantId);
        r.put("workspaceId", workspaceId);
        r.put("env", env);
        r.put("operator", operator);
        r.put("operationTime", operationTime);
        r.put("taskInstanceIds", taskInstanceIds);
        r.putAll(extra);
        r.values().removeIf(Objects::isNull);
        send("scheduler.instance-operations", String.valueOf(workspaceId), json(r), operationId);
        return operationId;
    }

    private void registry(String kind, String id, Map<String, Object> data) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("kind", kind);
        value.put("id", id);
        value.put("changeId", UUID.randomUUID().toString());
        value.put("changedAt", Instant.now().toString());
        value.put("data", data);
        send("registry.changes", kind + "/" + id, json(value), null);
    }

    private void send(String topic, String key, String value, String eventId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        if (eventId != null) {
            record.headers().add("event-id", eventId.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic, e.getCause());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
