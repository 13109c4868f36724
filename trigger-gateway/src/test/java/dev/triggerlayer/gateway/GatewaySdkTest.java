package dev.triggerlayer.gateway;

import com.aliyun.dataworks_public20200518.models.RunTriggerNodeRequest;
import com.aliyun.dataworks_public20200518.models.RunTriggerNodeResponse;
import com.aliyun.teautil.models.RuntimeOptions;
import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.signature.TestSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.gateway.GatewayHarness.errorCode;
import static dev.triggerlayer.gateway.GatewayHarness.scheduler;
import static dev.triggerlayer.gateway.GatewayHarness.time;
import static dev.triggerlayer.gateway.GatewayHarness.trigger;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static dev.triggerlayer.gateway.World.A_KEY;
import static dev.triggerlayer.gateway.World.B_DEV_KEY;
import static dev.triggerlayer.gateway.World.NODE_B;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official SDKs, unmodified, against the gateway on localhost: both signature schemes. */
@QuarkusTest
class GatewaySdkTest {

    @Inject
    Directory directory;

    @Inject
    Pool pool;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void triggerSchedulerTaskInstanceSucceedsInBothSchemes(boolean v1) throws Exception {
        long t = time(0);
        Map<String, Object> body = trigger(B_DEV_KEY, v1, NODE_B, "Prod", t, null);
        assertEquals(Boolean.TRUE, body.get("Success"));
        assertTrue(body.get("RequestId") instanceof String);
        assertEquals("Triggered", body.get("TriggerOutcome"));
        assertEquals(1, scheduler.commandsFor(NODE_B, t));
        var command = scheduler.commands.stream().filter(c -> c.path("triggerTime").asLong() == t).findFirst().orElseThrow();
        assertEquals("Prod", command.path("env").asText());
        assertEquals(World.TENANT_B + "/" + World.B_DEV + "/" + B_DEV_KEY.id(), command.path("principal").asText());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runTriggerNodeThroughTheLegacyClientInBothSchemes(boolean v1) throws Exception {
        long t = time(1);
        RunTriggerNodeResponse response = GatewayHarness.legacyClient(A_KEY, v1).runTriggerNodeWithOptions(new RunTriggerNodeRequest()
                .setNodeId(NODE_B).setCycleTime(t).setBizDate(t - 86_400_000L).setAppId(World.WS_B), new RuntimeOptions());
        assertEquals(Boolean.TRUE, response.getBody().getSuccess(), "a retained trigger is a success");
        assertEquals(1, scheduler.commandsFor(NODE_B, t));
        var command = scheduler.commands.stream().filter(c -> c.path("triggerTime").asLong() == t).findFirst().orElseThrow();
        assertEquals("RunTriggerNode", command.path("action").asText());
        assertEquals(World.WS_B, command.path("appId").asLong());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWrongSecretIsSignatureDoesNotMatch(boolean v1) {
        World.Key forged = new World.Key(B_DEV_KEY.id(), "not-the-secret-0123456789abcdef");
        long t = time(0);
        assertEquals("SignatureDoesNotMatch", errorCode(() -> trigger(forged, v1, NODE_B, "Prod", t, null)));
        assertEquals(0, scheduler.commandsFor(NODE_B, t), "nothing published");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExpiredTimestampIsRefused(boolean v1) {
        CLOCK.set(Instant.now().plus(Duration.ofMinutes(16)));
        assertEquals("InvalidTimeStamp.Expired", errorCode(() -> trigger(B_DEV_KEY, v1, NODE_B, "Prod", time(0), null)));
        CLOCK.set(Instant.now().minus(Duration.ofMinutes(16)));
        assertEquals("InvalidTimeStamp.Expired", errorCode(() -> trigger(B_DEV_KEY, v1, NODE_B, "Prod", time(0), null)));
    }

    @Test
    void aReplayedNonceIsRefusedEvenAfterSuccess() {
        Map<String, String> params = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", UUID.randomUUID().toString(), "AccessKeyId", B_DEV_KEY.id(),
                "Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()),
                "TaskId", String.valueOf(NODE_B), "TriggerTime", String.valueOf(time(0))));
        String query = TestSigner.v1Query(params, B_DEV_KEY.secret());
        given().urlEncodingEnabled(false).get("/?" + query).then().statusCode(200).body("Success", equalTo(true));
        given().urlEncodingEnabled(false).get("/?" + query).then().statusCode(400)
                .body("Code", equalTo("SignatureNonceUsed"))
                .body("RequestId", notNullValue())
                .body("HostId", notNullValue())
                .header("x-acs-request-id", notNullValue());
    }

    @Test
    void unknownAndDisabledKeys() {
        World.Key unknown = new World.Key("LTAIunknown00000000001", "whatever-secret-0123456789abcde");
        assertEquals("InvalidAccessKeyId.NotFound", errorCode(() -> trigger(unknown, false, NODE_B, "Prod", time(0), null)));
        assertEquals("InvalidAccessKeyId.Inactive", errorCode(() -> trigger(World.DISABLED_KEY, false, NODE_B, "Prod", time(0), null)));
    }

    @Test
    void authorisationRefusesWithoutPublishing() {
        long t = time(0);
        assertEquals("Forbidden.NoPermission", errorCode(() -> trigger(World.B_VISITOR_KEY, false, NODE_B, "Prod", t, null)));
        assertEquals("Forbidden.CrossTenant", errorCode(() -> trigger(A_KEY, false, World.NODE_B_UNGRANTED, "Prod", t, null)),
                "A's grant covers only NODE_B");
        assertEquals("Forbidden.EditionNotSupported", errorCode(() -> trigger(World.C_KEY, false, World.NODE_C, "Prod", t, null)));
        assertEquals("InvalidTaskId.NotFound", errorCode(() -> trigger(B_DEV_KEY, false, World.NODE_B_DEV, "Prod", t, null)),
                "the node lives in Dev");
        assertEquals(0, scheduler.commands.stream().filter(c -> c.path("triggerTime").asLong() == t).count());
        // The grant lets A's own key trigger B's node.
        assertEquals(Boolean.TRUE, assertDoesNotThrow(() -> trigger(A_KEY, false, NODE_B, "Prod", t, null)).get("Success"));
    }

    @Test
    void refusalsOfTheSchedulerHaveSpecificCodes() {
        assertEquals("OperationDenied.AlreadyTriggered", errorCode(() -> trigger(B_DEV_KEY, false, NODE_B, "Prod", time(2), null)));
        assertEquals("InvalidTaskInstance.NotFound", errorCode(() -> trigger(B_DEV_KEY, true, NODE_B, "Prod", time(4), null)));
    }

    @Test
    void noOutcomeInTimeIsARetryableError() {
        assertEquals("ServiceUnavailable", errorCode(() -> trigger(B_DEV_KEY, false, NODE_B, "Prod", time(3), null)));
    }

    @Test
    void aClientTokenReturnsTheSameOutcomeWithoutASecondCommand() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        long t = time(1);
        Map<String, Object> first = trigger(B_DEV_KEY, false, NODE_B, "Prod", t, token);
        Map<String, Object> again = trigger(B_DEV_KEY, true, NODE_B, "Prod", t, token);
        assertEquals("Retained", first.get("TriggerOutcome"));
        assertEquals(first.get("TriggerOutcome"), again.get("TriggerOutcome"));
        assertEquals(1, scheduler.commandsFor(NODE_B, t), "one command for two calls");
        assertEquals("IdempotentParameterMismatch", errorCode(() -> trigger(B_DEV_KEY, false, NODE_B, "Prod", t + 10, token)));
    }

    @Test
    void aRetryAfterATimeoutResendsTheSameCommandId() {
        String token = "tok-" + UUID.randomUUID();
        long t = time(3);
        assertEquals("ServiceUnavailable", errorCode(() -> trigger(B_DEV_KEY, false, NODE_B, "Prod", t, token)));
        assertEquals("ServiceUnavailable", errorCode(() -> trigger(B_DEV_KEY, false, NODE_B, "Prod", t, token)));
        var ids = scheduler.commands.stream().filter(c -> c.path("triggerTime").asLong() == t).map(c -> c.path("commandId").asText()).distinct().count();
        assertEquals(1, ids, "both attempts carried one command id, which the scheduler applies at most once");
    }

    @Test
    void throttlingSaysWhenToRetry() {
        String lastCode = null;
        for (int i = 0; i < 40 && !"Throttling.User".equals(lastCode); i++) {
            lastCode = errorCode(() -> trigger(World.THROTTLED_KEY, false, World.NODE_C, "Prod", time(0), null));
        }
        assertEquals("Throttling.User", lastCode, "the edition refusal comes after the rate limit");
        Map<String, String> params = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", UUID.randomUUID().toString(), "AccessKeyId", World.THROTTLED_KEY.id(),
                "Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()),
                "TaskId", String.valueOf(NODE_B), "TriggerTime", String.valueOf(time(0))));
        given().urlEncodingEnabled(false).get("/?" + TestSigner.v1Query(params, World.THROTTLED_KEY.secret())).then().statusCode(400)
                .body("Code", equalTo("Throttling.User"))
                .header("x-acs-retry-after", notNullValue());
    }

    @Test
    void usageReachesTheRegistryTopic() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var c = new io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion(
                    org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class))) {
                return c.consumeStrings().fromTopics("registry.access-key-usage", Duration.ofSeconds(2)).awaitCompletion().getRecords()
                        .stream().anyMatch(r -> r.key().equals(B_DEV_KEY.id()));
            }
        });
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError("unexpected failure: " + e, e);
        }
    }
}
