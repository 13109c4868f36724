package dev.triggerlayer.e2e;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see of a trigger: one trace from the gateway's HTTP request through the Kafka
 * command, the scheduler's transaction, the outbox relay and the publisher to the HTTP subscriber
 * (also when the caller retries with its ClientToken), and the meters they alert on.
 */
class ObservabilityIT {

    static final long TENANT_B = 1002, WORKSPACE_B = 2002;
    static final long FLOW = 5400, TRIGGER = 5401, DOWNSTREAM = 5402;

    static TriggerLayer system;
    static Properties keys;
    static Subscriber subscriber;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
        keys = system.credentials();
        subscriber = new Subscriber();
        system.call("POST", system.publisher, "/api/v1/subscriptions", "{\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE_B
                + ",\"name\":\"trace-hook\",\"filter\":{\"types\":[\"dataworks:InstanceStatusChanges:InstanceStatusChanges\"]},"
                + "\"target\":{\"kind\":\"HTTP\",\"url\":\"" + subscriber.url() + "\",\"format\":\"CLOUDEVENT\"}}");
        system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE_B
                + ",\"env\":\"Prod\",\"name\":\"traced\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + TRIGGER + ",\"name\":\"traced_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"},"
                + "{\"id\":" + DOWNSTREAM + ",\"name\":\"traced_shell\",\"type\":\"SHELL\",\"cron\":\"00 00 08 * * ?\",\"script\":\"true\",\"upstream\":[" + TRIGGER + "]}]}");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/deploy", "");
    }

    @Test
    void oneTriggerIsOneTraceFromTheGatewayToTheSubscriber() throws Exception {
        LocalDate day = ready(1);
        Map<String, ?> answer = trigger(day, null);
        assertEquals("Triggered", body(answer).get("TriggerOutcome"));
        long instance = ((Number) body(answer).get("TaskInstanceId")).longValue();

        Subscriber.Delivery delivered = awaitDelivery(instance);
        assertTrue(delivered.traceparent().endsWith("-01"), "a sampled trace: " + delivered.traceparent());
        String traceId = delivered.traceparent().split("-")[1];
        Chain chain = awaitChain(traceId);
        assertEquals("trigger-gateway", chain.server.service());
        assertTrue(chain.server.name().startsWith("POST"), chain.server.name());
        assertEquals("TriggerSchedulerTaskInstance", chain.server.attributes().get("triggerlayer.action"));
        assertEquals(String.valueOf(TRIGGER), chain.command.attributes().get("triggerlayer.task_id"));
        assertEquals(String.valueOf(instance), chain.applied.attributes().get("triggerlayer.task_instance_id"));
        assertEquals("TRIGGERED", chain.applied.attributes().get("triggerlayer.outcome"));
    }

    @Test
    void aClientTokenRetryContinuesTheTraceOfTheFirstCall() throws Exception {
        LocalDate day = ready(2);
        String token = "retry-" + UUID.randomUUID();
        // The scheduler is frozen: the command is accepted, but no outcome comes back in time.
        system.services.get("scheduler-service").freeze();
        String refused;
        try {
            refused = refusal(() -> trigger(day, token));
        } finally {
            system.services.get("scheduler-service").resume();
        }
        assertEquals("ServiceUnavailable", refused);
        Map<String, ?> answer = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> trigger(day, token), a -> a != null);
        assertEquals("Triggered", body(answer).get("TriggerOutcome"));
        long instance = ((Number) body(answer).get("TaskInstanceId")).longValue();

        Subscriber.Delivery delivered = awaitDelivery(instance);
        String traceId = delivered.traceparent().split("-")[1];
        Chain chain = awaitChain(traceId);
        // The first call's HTTP span is the root; the retry's own HTTP span (another trace) names it.
        List<OtlpCollector.Received> retries = await().atMost(Duration.ofSeconds(20)).until(() -> system.collector.spans().stream()
                .filter(s -> s.service().equals("trigger-gateway") && s.kind().equals("SPAN_KIND_SERVER")
                        && traceId.equals(s.attributes().get("triggerlayer.retry_of_trace"))).toList(), l -> !l.isEmpty());
        assertFalse(retries.get(0).traceId().equals(traceId), "the retry's HTTP request is a trace of its own");
        List<OtlpCollector.Received> sends = await().atMost(Duration.ofSeconds(20)).until(() -> system.collector.trace(traceId).stream()
                .filter(s -> s.name().equals("scheduler.trigger-commands publish")).toList(), l -> l.size() == 2);
        sends.forEach(s -> assertEquals(chain.server.spanId(), s.parentSpanId(), "both sends of the command are children of the first call"));
    }

    @Test
    void operatorsFindEveryMeterTheyAlertOnAfterATrigger() throws Exception {
        LocalDate day = ready(3);
        long instance = ((Number) body(trigger(day, null)).get("TaskInstanceId")).longValue();
        awaitDelivery(instance);
        await().atMost(Duration.ofSeconds(60)).until(() -> system.call("GET", system.scheduler, "/api/v1/instances/" + downstream(day).path("Id").asLong(), null)
                .path("Status").asText().equals("Success"));
        // An unknown path on the public port must not become a time series of its own.
        String junk = "/no-such-path-" + UUID.randomUUID();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(system.endpoint() + junk)).build(), HttpResponse.BodyHandlers.discarding());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String gateway = system.metrics("trigger-gateway");
            assertTrue(value(gateway, "triggerlayer_triggers_total", "action=\"TriggerSchedulerTaskInstance\"", "outcome=\"Triggered\"") >= 1, "triggers by outcome");
            assertTrue(value(gateway, "triggerlayer_trigger_duration_seconds_count", "action=\"TriggerSchedulerTaskInstance\"") >= 1, "round trip");
            assertFalse(gateway.contains(junk), "no series for an unknown path");
            String scheduler = system.metrics("scheduler-service");
            assertNotNull(find(scheduler, "triggerlayer_outbox_backlog", "outbox=\"scheduler_outbox\""), "outbox backlog");
            assertNotNull(find(scheduler, "triggerlayer_outbox_oldest_age_seconds", "outbox=\"scheduler_outbox\""), "outbox age");
            assertNotNull(find(scheduler, "triggerlayer_kafka_consumer_lag", "group=\"scheduler-service\""), "consumer lag");
            assertTrue(value(scheduler, "scheduler_runs_total", "outcome=\"SUCCEEDED\"") >= 1, "runs by outcome");
            assertNotNull(find(scheduler, "scheduler_resource_group_slots_used", "group=\"default\""), "slots in use");
            assertNotNull(find(scheduler, "scheduler_instances_waiting", "group=\"default\""), "waiting instances");
            String registry = system.metrics("tenant-registry");
            assertNotNull(find(registry, "triggerlayer_outbox_backlog", "outbox=\"registry_outbox\""), "registry outbox");
            assertNotNull(find(registry, "triggerlayer_kafka_consumer_lag", "group=\"tenant-registry\""), "registry lag");
            String publisher = system.metrics("event-publisher");
            assertTrue(value(publisher, "publisher_deliveries_total", "outcome=\"delivered\"", "target=\"http\"") >= 1, "deliveries by result");
            assertNotNull(find(publisher, "publisher_deliveries_total", "outcome=\"dead-lettered\""), "dead letters");
            assertNotNull(find(publisher, "publisher_delivery_retries_total"), "retries");
            assertNotNull(find(publisher, "triggerlayer_kafka_consumer_lag", "group=\"event-publisher\""), "publisher lag");
            assertNotNull(find(publisher, "triggerlayer_kafka_consumer_lag", "group=\"event-publisher.subscription.*\""), "lanes' lag");
        });
    }

    /** The spans of one trace, parent to child, from the gateway's request to the subscriber. */
    private record Chain(OtlpCollector.Received server, OtlpCollector.Received command, OtlpCollector.Received applied,
                         OtlpCollector.Received relayed, OtlpCollector.Received published, OtlpCollector.Received delivery) {
    }

    private Chain awaitChain(String traceId) {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> chain(traceId), c -> c != null);
    }

    /** Walks the trace up from the subscriber's span; every hop must be the parent of the one below it. */
    private Chain chain(String traceId) {
        List<OtlpCollector.Received> spans = system.collector.trace(traceId);
        SpanData received = subscriber.spans().stream().filter(s -> s.getTraceId().equals(traceId)).findFirst().orElseThrow();
        OtlpCollector.Received delivery = byId(spans, received.getParentSpanId());
        assertEquals("event-publisher", delivery.service());
        assertEquals("SPAN_KIND_CLIENT", delivery.kind());
        OtlpCollector.Received published = byId(spans, delivery.parentSpanId());
        assertEquals("event-publisher", published.service());
        assertEquals("scheduler.instance-changes process", published.name());
        OtlpCollector.Received relayed = byId(spans, published.parentSpanId());
        assertEquals("scheduler-service", relayed.service());
        assertEquals("scheduler.instance-changes publish", relayed.name());
        OtlpCollector.Received applied = byId(spans, relayed.parentSpanId());
        assertEquals("scheduler-service", applied.service());
        assertEquals("scheduler.trigger-commands process", applied.name());
        OtlpCollector.Received command = byId(spans, applied.parentSpanId());
        assertEquals("trigger-gateway", command.service());
        assertEquals("scheduler.trigger-commands publish", command.name());
        OtlpCollector.Received server = byId(spans, command.parentSpanId());
        assertEquals("SPAN_KIND_SERVER", server.kind());
        assertEquals(null, server.parentSpanId(), "the gateway's request starts the trace");
        return new Chain(server, command, applied, relayed, published, delivery);
    }

    private static OtlpCollector.Received byId(List<OtlpCollector.Received> spans, String spanId) {
        return spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst()
                .orElseThrow(() -> new AssertionError("span " + spanId + " is not (yet) in the trace: " + spans.stream().map(OtlpCollector.Received::name).toList()
                        + " (" + system.collector.spans().size() + " spans received in all, of services "
                        + system.collector.spans().stream().map(OtlpCollector.Received::service).distinct().toList() + ")"));
    }

    private Subscriber.Delivery awaitDelivery(long instance) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.deliveries().stream()
                .filter(d -> d.event().path("data").path("taskId").asLong() == instance && d.event().path("data").path("status").asInt() == 6)
                .findFirst().orElse(null), d -> d != null && d.traceparent() != null);
    }

    /** An HTTP trigger instance {@code daysAgo} days ago, generated and waiting for its trigger. */
    private LocalDate ready(int daysAgo) throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo);
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + day, "");
        await().atMost(Duration.ofSeconds(30)).until(() -> instance(TRIGGER, day).path("Status").asText().equals("WaitTrigger"));
        return day;
    }

    private JsonNode downstream(LocalDate day) throws Exception {
        return instance(DOWNSTREAM, day);
    }

    private JsonNode instance(long node, LocalDate day) throws Exception {
        long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        return system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE_B + "&TaskId=" + node + "&TriggerTime=" + cyc, null)
                .path("PagingInfo").path("TaskInstances").path(0);
    }

    /** TriggerSchedulerTaskInstance through the official SDK (V3) with tenant B's key, optionally with a ClientToken. */
    private Map<String, ?> trigger(LocalDate day, String clientToken) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty("TENANT_B_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty("TENANT_B_ACCESS_KEY_SECRET"))
                .setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP").setReadTimeout(20_000);
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        Map<String, Object> body = new HashMap<>(Map.of("TaskId", TRIGGER, "EnvType", "Prod",
                "TriggerTime", day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli()));
        if (clientToken != null) {
            body.put("ClientToken", clientToken);
        }
        return new Client(config).callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions().setAutoretry(false));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, ?> answer) {
        return (Map<String, Object>) answer.get("body");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static String refusal(Call call) throws Exception {
        try {
            call.run();
        } catch (TeaException e) {
            return e.getCode();
        }
        throw new AssertionError("the call was accepted");
    }

    /** The line of {@code name} whose labels include all of {@code labels}, or null. */
    private static String find(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String l : labels) {
                    all &= line.contains(l);
                }
                if (all) {
                    return line;
                }
            }
        }
        return null;
    }

    private static double value(String metrics, String name, String... labels) {
        String line = find(metrics, name, labels);
        if (line == null) {
            return -1;
        }
        Matcher m = Pattern.compile("\\s([-+0-9.eE]+|NaN)$").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
