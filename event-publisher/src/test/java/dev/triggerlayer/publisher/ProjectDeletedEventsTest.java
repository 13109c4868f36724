package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.publisher.directory.service.Directory;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's workspace-deleted records (registry.workspace-events) in, project-deleted on the
 * bus the deleted workspace mapped to out, once, over the real broker; field by field against
 * reference 002's post-event and contracts/events/project-deleted.schema.json.
 */
@QuarkusTest
class ProjectDeletedEventsTest {

    /** 2025-11-22T00:00:01Z, i.e. 08:00:01 in the test tenants' Asia/Shanghai. */
    static final long DELETED_AT = 1763769601000L;

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
    void aDeletedWorkspaceRaisesProjectDeletedOnceOnTheBusItMappedTo() {
        Feeds.Tenant t = feeds.tenant("default");
        feeds.bus(t.tenantId(), "audit", "cn-shanghai");
        long mapped = Api.uniqueId();
        feeds.workspace(mapped, t.tenantId(), true, "audit");
        // The record is all the publisher has: the workspace left the registry feed before it.
        String deleted = feeds.workspaceDeleted(t.tenantId(), mapped, "ws" + mapped, "audit", "207947397706614299", DELETED_AT);
        // Same tenant, so same key and partition: once this one is published, the first was decided.
        String unmapped = feeds.workspaceDeleted(t.tenantId(), t.workspaceId(), "ws" + t.workspaceId(), null, "1001", DELETED_AT + 1000);

        try (TopicReader audit = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.audit");
             TopicReader fallback = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            fallback.await(String.valueOf(t.workspaceId()), e -> unmapped.equals(e.path("id").asText()));
            ConsumerRecord<String, String> record = audit.awaitRecord(String.valueOf(mapped), e -> deleted.equals(e.path("id").asText()));
            JsonNode event = audit.await(String.valueOf(mapped), e -> deleted.equals(e.path("id").asText()));

            EventSchemas.assertValid("project-deleted.schema.json", event);
            assertEquals(1, audit.values().size(), "once, and only the audit bus's workspace: " + audit.values());
            assertTrue(fallback.values().stream().noneMatch(e -> deleted.equals(e.path("id").asText())), "not on the default bus");
            assertEquals(deleted, TopicReader.header(record, "event-id"));
            assertEquals("dataworks:ProjectChange:ProjectDeleted", TopicReader.header(record, "event-type"));
            assertEquals("dataworks:ProjectChange:ProjectDeleted", event.get("type").asText());
            assertEquals("audit", event.get("aliyuneventbusname").asText());
            assertEquals("cn-shanghai", event.get("aliyunregionid").asText(), "the receiving bus's region");
            assertEquals(t.accountId(), event.get("aliyunaccountid").asText());
            assertEquals(t.accountId(), event.get("aliyunoriginalaccountid").asText());
            assertEquals("2025-11-22T08:00:01.000+08:00", event.get("time").asText(), "the deletion's time in the tenant's zone");
            assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + mapped, event.get("subject").asText());

            JsonNode data = event.get("data");
            assertEquals(Set.of("eventCode", "tenantId", "blockBusiness", "projectName", "projectId", "operator", "timestamp"),
                    names(data), "reference 002's members, nothing else");
            assertEquals("project-deleted", data.get("eventCode").asText());
            assertEquals(t.tenantId(), data.get("tenantId").asLong());
            assertTrue(data.get("tenantId").isIntegralNumber() && data.get("projectId").isIntegralNumber());
            assertEquals(false, data.get("blockBusiness").asBoolean());
            assertTrue(data.get("blockBusiness").isBoolean());
            assertEquals("ws" + mapped, data.get("projectName").asText());
            assertEquals(mapped, data.get("projectId").asLong());
            assertEquals("207947397706614299", data.get("operator").asText());
            assertEquals(DELETED_AT, data.get("timestamp").asLong());

            JsonNode other = fallback.values().get(0);
            EventSchemas.assertValid("project-deleted.schema.json", other);
            assertEquals("default", other.get("aliyuneventbusname").asText(), "an unmapped workspace: the default bus");
            assertEquals("1001", other.at("/data/operator").asText());
        }
    }

    @Test
    void aTenantOutsideTheEnterpriseEditionGetsNoProjectDeleted() {
        long tenantId = Api.uniqueId();
        String account = String.valueOf(Api.uniqueId());
        feeds.tenant(tenantId, account, "cn-hangzhou", "Asia/Shanghai", "STANDARD");
        feeds.bus(tenantId, "default", "cn-hangzhou");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.bus(tenantId, "default").isPresent());
        double droppedBefore = dropped();
        long first = Api.uniqueId();
        String whileStandard = feeds.workspaceDeleted(tenantId, first, "ws" + first, null, "1001", DELETED_AT);
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped() > droppedBefore);

        feeds.tenant(tenantId, account, "cn-hangzhou", "Asia/Shanghai", "ENTERPRISE");
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.tenant(tenantId).orElseThrow().receivesEvents());
        long second = Api.uniqueId();
        String whileEnterprise = feeds.workspaceDeleted(tenantId, second, "ws" + second, null, "1001", DELETED_AT);
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + tenantId + ".bus.default")) {
            bus.await(String.valueOf(second), e -> whileEnterprise.equals(e.path("id").asText()));
            assertEquals(List.of(whileEnterprise), bus.values().stream().map(e -> e.path("id").asText()).toList(),
                    "nothing of the Standard Edition's " + whileStandard);
        }
    }

    private double dropped() {
        var counter = metrics.find("publisher.changes.dropped").tag("reason", "edition").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
