package dev.triggerlayer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.registry.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting a workspace writes its workspace-deleted record (contracts/registry-feed.md, "Workspace
 * events") to registry.workspace-events, once, with who deleted it; a refused deletion writes none.
 */
@QuarkusTest
class WorkspaceEventsTest {

    private static final String TOPIC = "registry.workspace-events";
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aDeletedWorkspaceIsRecordedOnceWithItsOperatorAndBus() throws Exception {
        String region = Api.region();
        long tenant = Api.tenant(region);
        operator().body(Map.of("name", "audit", "regionId", region)).post("/api/v1/tenants/" + tenant + "/event-buses").then().statusCode(201);
        long mapped = Api.uniqueId();
        operator().body(Map.of("id", mapped, "tenantId", tenant, "name", "ws" + mapped, "eventBusName", "audit", "publishEvents", false))
                .post("/api/v1/workspaces").then().statusCode(201);
        long plain = Api.workspace(tenant);
        long member = Api.user(tenant, "SUB");
        operator().body(Map.of("roles", List.of("DEVELOP"))).put("/api/v1/workspaces/" + plain + "/members/" + member).then().statusCode(200);

        long before = System.currentTimeMillis();
        // Refused (it still has a member): nothing is recorded for it.
        operator().header("X-Operator", "207947397706614299").delete("/api/v1/workspaces/" + plain).then().statusCode(409);
        operator().header("X-Operator", "207947397706614299").delete("/api/v1/workspaces/" + mapped).then().statusCode(204);
        operator().delete("/api/v1/workspaces/" + plain + "/members/" + member).then().statusCode(204);
        operator().delete("/api/v1/workspaces/" + plain).then().statusCode(204);
        long after = System.currentTimeMillis();

        try (FeedReader reader = new FeedReader(bootstrap, TOPIC)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ofTenant(reader, tenant).size() >= 2);
            List<ConsumerRecord<String, String>> records = ofTenant(reader, tenant);
            assertEquals(2, records.size(), "one record per deletion, none for the refused one: " + records);

            JsonNode first = JSON.readTree(records.get(0).value());
            assertEquals(String.valueOf(tenant), records.get(0).key(), "keyed by the tenant");
            assertEquals(first.get("changeId").asText(), header(records.get(0), "change-id"));
            assertEquals("workspace-deleted", first.get("type").asText());
            assertEquals(tenant, first.get("tenantId").asLong());
            assertEquals(mapped, first.get("workspaceId").asLong());
            assertEquals("ws" + mapped, first.get("workspaceName").asText());
            assertEquals("audit", first.get("eventBusName").asText());
            assertEquals(false, first.get("publishEvents").asBoolean());
            assertEquals("207947397706614299", first.get("operator").asText());
            long deletedAt = first.get("deletedAt").asLong();
            assertTrue(deletedAt >= before && deletedAt <= after, "deletedAt is the deletion's time: " + deletedAt);

            JsonNode second = JSON.readTree(records.get(1).value());
            assertEquals(plain, second.get("workspaceId").asLong(), "in deletion order");
            assertTrue(second.get("eventBusName").isNull(), "unmapped: the tenant's default bus");
            assertEquals(true, second.get("publishEvents").asBoolean());
            assertEquals("unknown", second.get("operator").asText(), "no X-Operator");
        }
    }

    private static List<ConsumerRecord<String, String>> ofTenant(FeedReader reader, long tenant) {
        return reader.records().stream().filter(r -> String.valueOf(tenant).equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
