package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.publisher.directory.service.Directory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry feed and scheduler records in, documented CloudEvents on the tenant's buses out, over
 * the real broker.
 */
@QuarkusTest
class EventPublishingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Directory directory;

    @Inject
    MeterRegistry metrics;

    Feeds feeds;

    @BeforeEach
    void open() {
        feeds = new Feeds(bootstrap);
    }

    @AfterEach
    void close() {
        feeds.close();
    }

    @Test
    void anInstanceStatusChangeBecomesTheDocumentedEventOnTheTenantsBus() {
        Feeds.Tenant t = feeds.tenant("default");
        long task = Api.uniqueId();
        String changeId = feeds.instanceChange(t, task, 4, 1763769601000L);

        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            var record = bus.awaitRecord(String.valueOf(task), e -> changeId.equals(e.path("id").asText()));
            JsonNode event = bus.await(String.valueOf(task), e -> changeId.equals(e.path("id").asText()));
            EventSchemas.assertValid("instance-status-changes.schema.json", event);
            assertEquals(changeId, TopicReader.header(record, "event-id"));
            assertEquals("dataworks:InstanceStatusChanges:InstanceStatusChanges", event.get("type").asText());
            assertEquals("acs.dataworks", event.get("source").asText());
            assertEquals(t.accountId(), event.get("aliyunaccountid").asText());
            assertEquals(t.accountId(), event.get("aliyunoriginalaccountid").asText(), "events never cross accounts");
            assertEquals("cn-hangzhou", event.get("aliyunregionid").asText());
            assertEquals("default", event.get("aliyuneventbusname").asText());
            assertEquals("127.0.0.1", event.get("aliyunpublishaddr").asText());
            assertEquals("2025-11-22T08:00:01.000+08:00", event.get("time").asText());
            assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + t.workspaceId() + "/instance/" + task,
                    event.get("subject").asText());
            JsonNode data = event.get("data");
            assertEquals(task, data.get("taskId").asLong());
            assertEquals(task + 1, data.get("dagId").asLong());
            assertEquals(t.workspaceId(), data.get("appId").asLong());
            assertEquals(t.tenantId(), data.get("tenantId").asLong());
            assertEquals(1, data.get("flowId").asLong(), "a scheduled instance's flowId is 1 (reference 002)");
            assertEquals(3001, data.get("workflowId").asLong(), "the real workflow, in our own member");
            assertEquals(4002, data.get("nodeId").asLong());
            assertEquals(4, data.get("status").asInt());
            assertEquals("instance-status-changes", data.get("eventCode").asText());
        }
    }

    @Test
    void aDagStatusChangeBecomesTheDocumentedEvent() {
        Feeds.Tenant t = feeds.tenant("default");
        long dag = Api.uniqueId();
        String changeId = feeds.dagChange(t, dag, 5);

        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            JsonNode event = bus.await(String.valueOf(dag), e -> changeId.equals(e.path("id").asText()));
            EventSchemas.assertValid("dag-status-changes.schema.json", event);
            JsonNode data = event.get("data");
            assertEquals("2026-11-21 00:00:00", data.get("bizDate").asText());
            assertEquals("2025-11-21 08:00:00", data.get("createTime").asText());
            assertEquals("DEV", data.get("projectEnv").asText());
            assertEquals(t.workspaceId(), data.get("projectId").asLong());
            assertEquals(5, data.get("status").asInt());
            assertEquals(3, data.get("dagType").asInt());
            assertEquals(1, data.get("flowId").asLong(), "a backfill DAG: reference 002's 1 / ATCLOUD_FLOW");
            assertEquals("ATCLOUD_FLOW", data.get("flowName").asText());
            assertEquals(3001, data.get("workflowId").asLong());
            assertEquals("demo", data.get("workflowName").asText());
        }
    }

    @Test
    void aWorkspaceThatDoesNotPublishEventsPublishesNothing() {
        Feeds.Tenant t = feeds.tenant("default");
        long silent = Api.uniqueId();
        feeds.workspace(silent, t.tenantId(), false);
        long task = Api.uniqueId();
        // Same key, so the same partition: the silent change is decided before the loud one.
        String silentChange = feeds.instanceChange(t.tenantId(), silent, task, 4, 1763769601000L);
        String loudChange = feeds.instanceChange(t, task, 6, 1763769602000L);

        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(task), e -> loudChange.equals(e.path("id").asText()));
            List<String> ids = bus.values(String.valueOf(task)).stream().map(e -> e.path("id").asText()).toList();
            assertEquals(List.of(loudChange), ids, "nothing of the silent workspace " + silentChange);
        }
    }

    @Test
    void aDeletedWorkspaceStopsPublishing() {
        Feeds.Tenant t = feeds.tenant("default");
        long doomed = Api.uniqueId();
        feeds.workspace(doomed, t.tenantId(), true);
        feeds.deleted("workspace", String.valueOf(doomed));
        // The feed is one partition: once a later record is applied, so is the tombstone.
        long marker = Api.uniqueId();
        feeds.tenant(marker, "marker" + marker, "cn-hangzhou", "UTC");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.tenant(marker).isPresent());
        assertTrue(directory.workspace(doomed).isEmpty());
        long task = Api.uniqueId();
        String gone = feeds.instanceChange(t.tenantId(), doomed, task, 4, 1763769601000L);
        String live = feeds.instanceChange(t, task, 6, 1763769602000L);

        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(task), e -> live.equals(e.path("id").asText()));
            assertTrue(bus.values(String.valueOf(task)).stream().noneMatch(e -> gone.equals(e.path("id").asText())));
        }
    }

    @Test
    void eachWorkspacesEventsGoToExactlyItsOwnBus() {
        Feeds.Tenant t = feeds.tenant();
        feeds.bus(t.tenantId(), "default", "cn-hangzhou");
        feeds.bus(t.tenantId(), "audit", "cn-shanghai");
        feeds.bus(t.tenantId(), "ops", "cn-beijing");
        long toAudit = Api.uniqueId();
        long toOps = Api.uniqueId();
        feeds.workspace(toAudit, t.tenantId(), true, "audit");
        feeds.workspace(toOps, t.tenantId(), true, "ops");
        long task = Api.uniqueId();
        // One key, one partition: the three changes are published in this order, so once the last is
        // on its bus the others have been decided too.
        String auditChange = feeds.instanceChange(t.tenantId(), toAudit, task, 4, 1763769601000L);
        String opsChange = feeds.instanceChange(t.tenantId(), toOps, task, 5, 1763769602000L);
        String defaultChange = feeds.instanceChange(t, task, 6, 1763769603000L);

        try (TopicReader audit = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.audit");
             TopicReader ops = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.ops");
             TopicReader fallback = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            JsonNode onDefault = fallback.await(String.valueOf(task), e -> defaultChange.equals(e.path("id").asText()));
            JsonNode onAudit = audit.await(String.valueOf(task), e -> auditChange.equals(e.path("id").asText()));
            JsonNode onOps = ops.await(String.valueOf(task), e -> opsChange.equals(e.path("id").asText()));
            assertEquals(List.of(auditChange), ids(audit.values()), "the audit bus has its workspace's event only");
            assertEquals(List.of(opsChange), ids(ops.values()));
            assertEquals(List.of(defaultChange), ids(fallback.values()), "an unmapped workspace: the bus named default");

            for (JsonNode event : List.of(onDefault, onAudit, onOps)) {
                EventSchemas.assertValid("instance-status-changes.schema.json", event);
                assertTrue(event.get("subject").asText().startsWith("acs.dataworks:cn-hangzhou:"), "the resource's (home) region");
            }
            assertEquals("audit", onAudit.get("aliyuneventbusname").asText());
            assertEquals("cn-shanghai", onAudit.get("aliyunregionid").asText(), "the receiving bus's region, not the home region");
            assertEquals(toAudit, onAudit.at("/data/appId").asLong());
            assertEquals("ops", onOps.get("aliyuneventbusname").asText());
            assertEquals("cn-beijing", onOps.get("aliyunregionid").asText());
            assertEquals("default", onDefault.get("aliyuneventbusname").asText());
            assertEquals("cn-hangzhou", onDefault.get("aliyunregionid").asText());
        }
    }

    @Test
    void anUnmappedWorkspaceOfATenantWithoutADefaultBusPublishesNothing() {
        Feeds.Tenant t = feeds.tenant("audit");
        long mapped = Api.uniqueId();
        feeds.workspace(mapped, t.tenantId(), true, "audit");
        long task = Api.uniqueId();
        // The tenant has buses, but none named default: the unmapped workspace's change is dropped,
        // not sent to a bus the registry does not list.
        String unmapped = feeds.instanceChange(t, task, 4, 1763769601000L);
        String marker = feeds.instanceChange(t.tenantId(), mapped, task, 6, 1763769602000L);
        try (TopicReader audit = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.audit")) {
            audit.await(String.valueOf(task), e -> marker.equals(e.path("id").asText()));
            assertEquals(List.of(marker), ids(audit.values()), "nothing of " + unmapped);
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            assertTrue(admin.listTopics().names().toCompletionStage().toCompletableFuture().join().stream()
                    .noneMatch(n -> n.equals("tenant." + t.tenantId() + ".bus.default")), "no implicit default bus beside listed ones");
        }
    }

    @Test
    void aTenantReceivesEventsOnlyOnTheEnterpriseEdition() {
        long tenantId = Api.uniqueId();
        String account = String.valueOf(Api.uniqueId());
        feeds.tenant(tenantId, account, "cn-hangzhou", "Asia/Shanghai", "PROFESSIONAL");
        long workspace = Api.uniqueId();
        feeds.workspace(workspace, tenantId, true);
        feeds.bus(tenantId, "default", "cn-hangzhou");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.bus(tenantId, "default").isPresent());
        double droppedBefore = dropped("edition");
        long task = Api.uniqueId();
        String beforeUpgrade = feeds.instanceChange(tenantId, workspace, task, 4, 1763769601000L);
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped("edition") > droppedBefore);

        feeds.tenant(tenantId, account, "cn-hangzhou", "Asia/Shanghai", "ENTERPRISE");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.tenant(tenantId).orElseThrow().receivesEvents());
        String afterUpgrade = feeds.instanceChange(tenantId, workspace, task, 6, 1763769602000L);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + tenantId + ".bus.default")) {
            bus.await(String.valueOf(task), e -> afterUpgrade.equals(e.path("id").asText()));
            assertEquals(List.of(afterUpgrade), ids(bus.values()), "nothing of the Professional Edition's " + beforeUpgrade);
        }
    }

    @Test
    void aTenantWithoutBusRecordsPublishesToItsDefaultBus() {
        Feeds.Tenant t = feeds.tenant();
        long task = Api.uniqueId();
        String changeId = feeds.instanceChange(t, task, 3, 1763769601000L);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            JsonNode event = bus.await(String.valueOf(task), e -> changeId.equals(e.path("id").asText()));
            assertEquals("default", event.get("aliyuneventbusname").asText());
        }
    }

    @Test
    void aChangeNamingAnotherTenantThanTheWorkspacesIsNotPublished() {
        Feeds.Tenant a = feeds.tenant("default");
        Feeds.Tenant b = feeds.tenant("default");
        long task = Api.uniqueId();
        // The record claims tenant B for A's workspace: the registry decides, and it is dropped.
        String forged = feeds.instanceChange(b.tenantId(), a.workspaceId(), task, 4, 1763769601000L);
        String markerA = feeds.instanceChange(a, task, 5, 1763769602000L);
        String markerB = feeds.instanceChange(b, task, 5, 1763769603000L);

        try (TopicReader busA = new TopicReader(bootstrap, "tenant." + a.tenantId() + ".bus.default");
             TopicReader busB = new TopicReader(bootstrap, "tenant." + b.tenantId() + ".bus.default")) {
            busA.await(String.valueOf(task), e -> markerA.equals(e.path("id").asText()));
            busB.await(String.valueOf(task), e -> markerB.equals(e.path("id").asText()));
            assertTrue(busA.values().stream().noneMatch(e -> forged.equals(e.path("id").asText())));
            assertTrue(busB.values().stream().noneMatch(e -> forged.equals(e.path("id").asText())));
            assertTrue(busB.values().stream().allMatch(e -> e.at("/data/tenantId").asLong() == b.tenantId()));
        }
    }

    private double dropped(String reason) {
        var counter = metrics.find("publisher.changes.dropped").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    @Test
    void aRedeliveredChangeKeepsItsEventId() {
        Feeds.Tenant t = feeds.tenant("default");
        long task = Api.uniqueId();
        String changeId = feeds.instanceChange(t, task, 4, 1763769601000L);
        // The scheduler's outbox relays at least once: the same change may arrive twice.
        feeds.instanceChange(t.tenantId(), t.workspaceId(), task, 4, 1763769601000L, changeId);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.values(String.valueOf(task)).size() == 2);
            List<JsonNode> events = bus.values(String.valueOf(task));
            assertEquals(changeId, events.get(0).get("id").asText());
            assertEquals(changeId, events.get(1).get("id").asText(), "same id, so consumers can de-duplicate");
            assertEquals(events.get(0).get("data"), events.get(1).get("data"));
        }
    }
}
