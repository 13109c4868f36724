package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.publisher.directory.service.Directory;
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
            assertEquals(3001, data.get("flowId").asLong());
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
            assertEquals("demo", data.get("flowName").asText());
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
    void everyBusOfTheTenantGetsTheEventWithItsName() {
        Feeds.Tenant t = feeds.tenant("default", "audit");
        long task = Api.uniqueId();
        String changeId = feeds.instanceChange(t, task, 6, 1763769601000L);

        for (String bus : List.of("default", "audit")) {
            try (TopicReader reader = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus." + bus)) {
                JsonNode event = reader.await(String.valueOf(task), e -> changeId.equals(e.path("id").asText()));
                assertEquals(bus, event.get("aliyuneventbusname").asText());
                EventSchemas.assertValid("instance-status-changes.schema.json", event);
            }
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
