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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.triggerlayer.publisher.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scheduler.instance-operations} records (contracts/scheduler-records.md) in, the seven
 * documented instance-change events on the tenant's bus out, over the real broker; validated
 * against contracts/events and checked member by member.
 */
@QuarkusTest
class InstanceOperationEventsTest {

    /** 2025-11-22T00:00:01Z, i.e. 08:00:01 in the test tenants' Asia/Shanghai. */
    static final long OPERATION_TIME = 1763769601000L;
    static final String LOCAL_TIME = "2025-11-22T08:00:01.000+08:00";

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
            "freeze-instance,      dataworks:InstanceChange:FreezeInstance,     Prod, PROD",
            "unfreeze-instance,    dataworks:InstanceChange:UnfreezeInstance,   Dev,  DEV",
            "kill-instance,        dataworks:InstanceChange:KillInstance,       Prod, PROD",
            "rerun-instance,       dataworks:InstanceChange:RerunInstance,      Dev,  DEV",
            "set-instance-success, dataworks:InstanceChange:SetInstanceSuccess, Prod, PROD"})
    void anOperatorActionBecomesItsDocumentedEvent(String operation, String type, String env, String projectType) {
        Feeds.Tenant t = feeds.tenant("default");
        List<Long> tasks = List.of(Api.uniqueId(), Api.uniqueId());
        Map<String, Object> extra = operation.equals("rerun-instance") ? Map.of("descendants", true) : Map.of();
        String id = feeds.instanceOperation(t.tenantId(), t.workspaceId(), operation, env, "1201", OPERATION_TIME, tasks, extra);

        JsonNode event = awaitOnBus(t, id, type);
        EventSchemas.assertValid(operation + ".schema.json", event);
        assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + t.workspaceId(), event.get("subject").asText());
        JsonNode data = event.get("data");
        assertEquals(Set.of("eventCode", "tenantId", "projectId", "projectType", "operator", "taskIds"), names(data));
        assertEquals(operation, data.get("eventCode").asText());
        assertEquals(t.tenantId(), data.get("tenantId").asLong());
        assertEquals(t.workspaceId(), data.get("projectId").asLong());
        assertEquals(projectType, data.get("projectType").asText());
        assertEquals("1201", data.get("operator").asText());
        assertTrue(data.get("operator").isTextual(), "operator is a string UID");
        assertEquals(tasks, longs(data.get("taskIds")));
    }

    @Test
    void removedDependenciesBecomeTheDocumentedEvent() {
        Feeds.Tenant t = feeds.tenant("default");
        long task = Api.uniqueId();
        List<Long> upstream = List.of(Api.uniqueId(), Api.uniqueId());
        String id = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "delete-task-instance-dependencies", "Prod", "1202",
                OPERATION_TIME, List.of(task), Map.of("upstreamTaskInstanceIds", upstream));

        JsonNode event = awaitOnBus(t, id, "dataworks:InstanceChange:DeleteTaskInstanceDependencies");
        EventSchemas.assertValid("delete-task-instance-dependencies.schema.json", event);
        assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + t.workspaceId() + "/instance/" + task,
                event.get("subject").asText());
        JsonNode data = event.get("data");
        assertEquals(Set.of("eventCode", "tenantId", "appId", "taskInstanceId", "upstreamTaskInstanceIds", "operator",
                "operationTime", "blockBusiness"), names(data));
        assertEquals("delete-task-instance-dependencies", data.get("eventCode").asText());
        assertEquals(t.tenantId(), data.get("tenantId").asLong());
        assertEquals(t.workspaceId(), data.get("appId").asLong());
        assertEquals(task, data.get("taskInstanceId").asLong());
        assertEquals(upstream, longs(data.get("upstreamTaskInstanceIds")));
        assertEquals("1202", data.get("operator").asText());
        assertEquals(OPERATION_TIME, data.get("operationTime").asLong());
        assertTrue(data.get("blockBusiness").isBoolean() && !data.get("blockBusiness").asBoolean());
    }

    @Test
    void theExpiryJobsDeletionsBecomeTheDocumentedEventWithoutOperator() {
        Feeds.Tenant t = feeds.tenant("default");
        List<Long> deleted = List.of(Api.uniqueId(), Api.uniqueId(), Api.uniqueId());
        String id = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "expired-task-instances-deleted", "Prod", "scheduler",
                OPERATION_TIME, deleted, Map.of("owner", "1107000538"));

        JsonNode event = awaitOnBus(t, id, "dataworks:InstanceChange:ExpiredTaskInstancesDeleted");
        EventSchemas.assertValid("expired-task-instances-deleted.schema.json", event);
        assertEquals("acs.dataworks:cn-hangzhou:" + t.accountId() + ":workspace/" + t.workspaceId(), event.get("subject").asText());
        JsonNode data = event.get("data");
        assertEquals(Set.of("eventCode", "tenantId", "appId", "deletedTaskInstanceIds", "owner", "operationTime", "blockBusiness"),
                names(data), "no operator: documented as unused");
        assertEquals("expired-task-instances-deleted", data.get("eventCode").asText());
        assertEquals(t.tenantId(), data.get("tenantId").asLong());
        assertEquals(t.workspaceId(), data.get("appId").asLong());
        assertEquals(deleted, longs(data.get("deletedTaskInstanceIds")));
        assertEquals("1107000538", data.get("owner").asText());
        assertEquals(OPERATION_TIME, data.get("operationTime").asLong());
        assertFalse(data.get("blockBusiness").asBoolean());
        assertTrue(data.get("blockBusiness").isBoolean());
    }

    @Test
    void aRecordTheContractDoesNotAllowIsSkippedAndTheNextOnePublished() {
        Feeds.Tenant t = feeds.tenant("default");
        // Same workspace, so the same partition: the bad ones are decided before the good one.
        Map<String, Object> twoInstances = new HashMap<>();
        twoInstances.put("upstreamTaskInstanceIds", List.of(Api.uniqueId()));
        String bad = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "delete-task-instance-dependencies", "Prod", "1201",
                OPERATION_TIME, List.of(Api.uniqueId(), Api.uniqueId()), twoInstances);
        String unknown = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "pre-freeze-instance", "Prod", "1201",
                OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
        String good = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "kill-instance", "Prod", "1201",
                OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            bus.await(String.valueOf(t.workspaceId()), e -> good.equals(e.path("id").asText()));
            List<String> ids = bus.values(String.valueOf(t.workspaceId())).stream().map(e -> e.path("id").asText()).toList();
            assertEquals(List.of(good), ids, "neither " + bad + " nor " + unknown);
        }
    }

    @Test
    void aSubscriptionFilteringOnEventCodeGetsOnlyThatOperation() {
        Feeds.Tenant t = feeds.tenant("default");
        try (Receiver receiver = Receiver.start()) {
            long subscription = operator().body(Map.of("tenantId", t.tenantId(), "name", "kills-" + Api.uniqueId(),
                            "filter", Map.of("eventCodes", List.of("kill-instance")),
                            "target", Map.of("kind", "HTTP", "url", receiver.url())))
                    .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath().getLong("id");
            // Same workspace key, so one partition and one lane order: the freeze is decided first.
            String freeze = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "freeze-instance", "Prod", "1201",
                    OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
            String kill = feeds.instanceOperation(t.tenantId(), t.workspaceId(), "kill-instance", "Prod", "1201",
                    OPERATION_TIME + 1, List.of(Api.uniqueId()), Map.of());

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(kill).stream().anyMatch(Receiver.Request::accepted));
            JsonNode delivered = receiver.requestsFor(kill).get(0).json();
            EventSchemas.assertValid("kill-instance.schema.json", delivered);
            assertEquals("kill-instance", delivered.at("/data/eventCode").asText());
            assertTrue(receiver.requestsFor(freeze).isEmpty(), "the filter passes kill-instance only");
            assertEquals(Set.of(kill), new HashSet<>(receiver.requests().stream().map(Receiver.Request::eventId).toList()));
            try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
                // The bus has both: only the subscription filtered.
                bus.await(String.valueOf(t.workspaceId()), e -> freeze.equals(e.path("id").asText()));
            }
            Api.delete(subscription);
        }
    }

    @Test
    void anotherTenantsBusAndSubscriptionsNeverSeeTheOperation() {
        Feeds.Tenant a = feeds.tenant("default");
        Feeds.Tenant b = feeds.tenant("default");
        try (Receiver receiverB = Receiver.start()) {
            long subB = Api.httpSubscription(b.tenantId(), receiverB.url(), null, null).getLong("id");
            String ofA = feeds.instanceOperation(a.tenantId(), a.workspaceId(), "set-instance-success", "Prod", "1101",
                    OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
            // A record naming tenant B for A's workspace: the registry decides tenancy, so nobody gets it.
            String forged = feeds.instanceOperation(b.tenantId(), a.workspaceId(), "set-instance-success", "Prod", "1201",
                    OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
            // After the forged one in A's partition: once it is on A's bus, the forged one was decided.
            String laterOfA = feeds.instanceOperation(a.tenantId(), a.workspaceId(), "kill-instance", "Prod", "1101",
                    OPERATION_TIME + 1, List.of(Api.uniqueId()), Map.of());
            try (TopicReader busA = new TopicReader(bootstrap, "tenant." + a.tenantId() + ".bus.default")) {
                busA.await(String.valueOf(a.workspaceId()), e -> ofA.equals(e.path("id").asText()));
                busA.await(String.valueOf(a.workspaceId()), e -> laterOfA.equals(e.path("id").asText()));
                assertTrue(busA.values().stream().noneMatch(e -> forged.equals(e.path("id").asText())));
            }
            // Written after A's were published: once B's marker is delivered, anything misrouted would be too.
            String ofB = feeds.instanceOperation(b.tenantId(), b.workspaceId(), "set-instance-success", "Prod", "1201",
                    OPERATION_TIME, List.of(Api.uniqueId()), Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> receiverB.requestsFor(ofB).stream().anyMatch(Receiver.Request::accepted));
            try (TopicReader busB = new TopicReader(bootstrap, "tenant." + b.tenantId() + ".bus.default")) {
                busB.await(String.valueOf(b.workspaceId()), e -> ofB.equals(e.path("id").asText()));
                List<String> ids = busB.values().stream().map(e -> e.path("id").asText()).toList();
                assertFalse(ids.contains(ofA) || ids.contains(laterOfA) || ids.contains(forged), "B's bus holds " + ids);
                assertTrue(busB.values().stream().allMatch(e -> e.at("/data/tenantId").asLong() == b.tenantId()));
            }
            for (Receiver.Request request : receiverB.requests()) {
                assertEquals(b.tenantId(), request.json().at("/data/tenantId").asLong(), "B got " + request.json());
            }
            assertTrue(receiverB.requestsFor(ofA).isEmpty() && receiverB.requestsFor(forged).isEmpty());
            Api.delete(subB);
        }
    }

    /** The event with this id on the tenant's default bus, with the envelope members every operation shares. */
    private JsonNode awaitOnBus(Feeds.Tenant t, String id, String type) {
        try (TopicReader bus = new TopicReader(bootstrap, "tenant." + t.tenantId() + ".bus.default")) {
            ConsumerRecord<String, String> record = bus.awaitRecord(String.valueOf(t.workspaceId()), e -> id.equals(e.path("id").asText()));
            assertEquals(String.valueOf(t.workspaceId()), record.key(), "keyed by workspace");
            assertEquals(id, TopicReader.header(record, "event-id"));
            assertEquals(type, TopicReader.header(record, "event-type"));
            JsonNode event = bus.await(String.valueOf(t.workspaceId()), e -> id.equals(e.path("id").asText()));
            assertEquals(id, event.get("id").asText(), "the operation id is the event id");
            assertEquals(type, event.get("type").asText());
            assertEquals("acs.dataworks", event.get("source").asText());
            assertEquals(LOCAL_TIME, event.get("time").asText(), "operationTime in the tenant's zone");
            assertEquals(t.accountId(), event.get("aliyunaccountid").asText());
            assertEquals("cn-hangzhou", event.get("aliyunregionid").asText());
            assertEquals("default", event.get("aliyuneventbusname").asText());
            return event;
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Long> longs(JsonNode array) {
        assertTrue(array.isArray(), array + " is an array");
        List<Long> out = new ArrayList<>();
        array.forEach(n -> {
            assertTrue(n.isIntegralNumber(), "ids are JSON numbers: " + array);
            out.add(n.asLong());
        });
        return out;
    }
}
