package dev.triggerlayer.e2e;

import com.aliyun.dataworks_public20200518.models.UpdateIDEEventResultRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Extension points end to end (docs/extensions.md): tenant B's extension, subscribed over HTTP,
 * receives the pre-event of an operation held in Checking and answers through the gateway with
 * the official SDK (UpdateWorkbenchEventResult and CallbackExtension with the generic client,
 * UpdateIDEEventResult with the SDK's own); the operation is applied or refused accordingly, and
 * the callbacks' refusals carry their documented codes.
 */
class ExtensionsIT {

    // Tenant B's demo workspace: the publisher routes events of the registry's workspaces only.
    static final long TENANT_B = 1002, WORKSPACE = 2002, FLOW = 8100, TRIGGER = 8101;

    static TriggerLayer system;
    static Properties keys;
    static Subscriber extension;
    static String code;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
        keys = system.credentials();
        extension = new Subscriber();
        system.call("POST", system.publisher, "/api/v1/subscriptions", "{\"tenantId\":" + TENANT_B + ",\"name\":\"freeze-guard\","
                + "\"filter\":{\"types\":[\"dataworks:InstanceChange:PreFreezeInstance\",\"dataworks:InstanceChange:PreKillInstance\","
                + "\"dataworks:InstanceChange:FreezeInstance\"]},"
                + "\"target\":{\"kind\":\"HTTP\",\"url\":\"" + extension.url() + "\",\"format\":\"CLOUDEVENT\"}}");
        code = system.call("POST", system.scheduler, "/api/v1/extensions", "{\"name\":\"freeze guard\",\"tenantId\":" + TENANT_B
                + ",\"owner\":\"e2e\",\"eventCodes\":[\"pre-freeze-instance\",\"pre-kill-instance\"],\"testWorkspaceId\":" + WORKSPACE + "}")
                .path("code").asText();
        system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE
                + ",\"env\":\"Prod\",\"name\":\"guarded\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + TRIGGER + ",\"name\":\"guarded_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"}]}");
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/deploy", "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (code != null) {
            // The system is shared with the other tests: their operations in this workspace must not wait for this extension.
            system.call("DELETE", system.scheduler, "/api/v1/extensions/" + code, null);
        }
        if (extension != null) {
            extension.close();
        }
    }

    @Test
    void theExtensionBlocksThenAllowsAFreezeThroughTheOfficialSdk() throws Exception {
        long instance = waiting(2);

        // FAIL through CallbackExtension: the freeze is refused, with the extension's message kept.
        String first = hold("freeze", instance);
        JsonNode pre = preEvent(first);
        assertEquals("pre-freeze-instance", pre.at("/data/eventCode").asText());
        assertEquals(List.of(instance), List.of(pre.at("/data/taskIds/0").asLong()));
        assertTrue(pre.at("/data/blockBusiness").asBoolean());
        assertEquals("guarded_trigger", pre.at("/data/extensionBizName").asText());
        assertTrue(EventSchemas.problems(pre).isEmpty(), EventSchemas.problems(pre).toString());

        assertEquals("MissingParameter", refusal("CallbackExtension", "TENANT_B", first, "FAIL", null));
        assertEquals("Forbidden.ExtensionOwner", refusal("CallbackExtension", "TENANT_A", first, "FAIL", "not yours"));
        assertEquals("InvalidParameter", refusal("CallbackExtension", "TENANT_B", first, "MAYBE", "x"));
        assertEquals("InvalidMessageId.NotFound", refusal("CallbackExtension", "TENANT_B", "0f0f0f0f-0000-4000-8000-000000000000", "OK", null));
        assertEquals("InvalidMessageId.NotFound", refusal("CallbackExtension", "TENANT_B", "not-a-message", "OK", null));
        Map<?, ?> failed = callback("CallbackExtension", "TENANT_B", first, "FAIL", "freeze window closed");
        assertEquals("true", failed.get("Success"), "CallbackExtension's Success is a string");
        JsonNode refused = system.call("GET", system.scheduler, "/api/v1/extension-checks/" + first, null);
        assertEquals("FAILED", refused.path("state").asText());
        assertTrue(refused.path("reason").asText().contains("freeze window closed"));
        assertFalse(frozen(), "a refused freeze changes nothing");

        // OK through UpdateWorkbenchEventResult: the freeze is applied, its regular event follows.
        String second = hold("freeze", instance);
        preEvent(second);
        assertEquals(Boolean.TRUE, callback("UpdateWorkbenchEventResult", "TENANT_B", second, "OK", null).get("Success"));
        assertTrue(frozen());
        await().atMost(Duration.ofSeconds(60)).until(() -> extension.deliveries().stream().anyMatch(d ->
                d.event().path("type").asText().equals("dataworks:InstanceChange:FreezeInstance")
                        && d.event().at("/data/taskIds/0").asLong() == instance));
        // Replayed: accepted, nothing changes; contradicted: refused.
        assertEquals(Boolean.TRUE, callback("UpdateWorkbenchEventResult", "TENANT_B", second, "OK", null).get("Success"));
        assertEquals("OperationDenied.CheckResultChanged", refusal("UpdateWorkbenchEventResult", "TENANT_B", second, "FAIL", "late"));
        assertEquals("OperationDenied.CheckResultChanged", refusal("CallbackExtension", "TENANT_B", first, "OK", null),
                "the refused check keeps its FAIL");
    }

    @Test
    void updateIdeEventResultThroughTheSdksOwnClientAnswersAKillCheck() throws Exception {
        long instance = waiting(3);
        String check = hold("kill", instance);
        assertEquals("pre-kill-instance", preEvent(check).at("/data/eventCode").asText());
        Config config = new Config().setAccessKeyId(keys.getProperty("TENANT_B_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty("TENANT_B_ACCESS_KEY_SECRET")).setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP");
        var answer = new com.aliyun.dataworks_public20200518.Client(config).updateIDEEventResult(new UpdateIDEEventResultRequest()
                .setMessageId(check).setExtensionCode(code).setCheckResult("WARN").setCheckResultTip("killed outside the window"));
        assertTrue(answer.getBody().getRequestId() != null && !answer.getBody().getRequestId().isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> status(instance).equals("Failure"));
        JsonNode view = system.call("GET", system.scheduler, "/api/v1/extension-checks/" + check, null);
        assertEquals("WARN", view.at("/verdicts/0/result").asText());
        assertEquals("killed outside the window", view.at("/verdicts/0/tip").asText());
    }

    @Test
    void theSampleExtensionRunsAsAProcessAndBlocksThenAllowsAFreeze() throws Exception {
        // Tenant A's workspace, extension and AccessKey: apart from the extension above.
        long tenantA = 1001, workspaceA = 2001, flow = 8200, protectedNode = 8201, scratchNode = 8202;
        String guardCode = system.call("POST", system.scheduler, "/api/v1/extensions", "{\"name\":\"freeze-guard\",\"tenantId\":" + tenantA
                + ",\"owner\":\"e2e\",\"eventCodes\":[\"pre-freeze-instance\"],\"testWorkspaceId\":" + workspaceA + "}").path("code").asText();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.nio.file.Path log = java.nio.file.Files.createTempFile("freeze-guard-", ".log");
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                TriggerLayer.repositoryRoot().resolve("examples/freeze-guard/target/freeze-guard-all.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("FREEZE_GUARD_PORT", String.valueOf(port), "FREEZE_GUARD_PATTERN", "^prod_",
                "FREEZE_GUARD_EXTENSION_CODE", guardCode, "FREEZE_GUARD_ENDPOINT", "127.0.0.1:" + system.gateway,
                "ALIBABA_CLOUD_ACCESS_KEY_ID", keys.getProperty("TENANT_A_ACCESS_KEY_ID"),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", keys.getProperty("TENANT_A_ACCESS_KEY_SECRET")));
        Process guard = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> java.nio.file.Files.readString(log).contains("freeze-guard listening"));
            system.call("POST", system.publisher, "/api/v1/subscriptions", "{\"tenantId\":" + tenantA + ",\"name\":\"freeze-guard\","
                    + "\"filter\":{\"types\":[\"dataworks:InstanceChange:PreFreezeInstance\"]},"
                    + "\"target\":{\"kind\":\"HTTP\",\"url\":\"http://127.0.0.1:" + port + "/events\",\"format\":\"CLOUDEVENT\"}}");
            system.call("POST", system.scheduler, "/api/v1/workflows", "{\"id\":" + flow + ",\"tenantId\":" + tenantA + ",\"workspaceId\":" + workspaceA
                    + ",\"env\":\"Prod\",\"name\":\"guarded_by_sample\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                    + "{\"id\":" + protectedNode + ",\"name\":\"prod_orders\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"},"
                    + "{\"id\":" + scratchNode + ",\"name\":\"tmp_scratch\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"}]}");
            system.call("POST", system.scheduler, "/api/v1/workflows/" + flow + "/deploy", "");
            LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(4);
            system.call("POST", system.scheduler, "/api/v1/workflows/" + flow + "/generate?date=" + day, "");
            long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            long[] ids = new long[2];
            long[] nodes = {protectedNode, scratchNode};
            for (int i = 0; i < 2; i++) {
                String path = "/api/v1/instances?ProjectId=" + workspaceA + "&TaskId=" + nodes[i] + "&TriggerTime=" + cyc;
                await().atMost(Duration.ofSeconds(30)).until(() -> system.call("GET", system.scheduler, path, null)
                        .at("/PagingInfo/TaskInstances/0/Status").asText().equals("WaitTrigger"));
                ids[i] = system.call("GET", system.scheduler, path, null).at("/PagingInfo/TaskInstances/0/Id").asLong();
            }

            JsonNode blocked = system.call("POST", system.scheduler, "/api/v1/instance-operations/freeze", "{\"instanceIds\":[" + ids[0] + "]}");
            assertEquals("Checking", blocked.path("state").asText());
            JsonNode refused = await().atMost(Duration.ofSeconds(60)).until(() -> system.call("GET", system.scheduler,
                    "/api/v1/pending-operations/" + blocked.path("pendingOperationId").asText(), null), p -> !p.path("state").asText().equals("CHECKING"));
            assertEquals("FAILED", refused.path("state").asText(), refused.toString());
            assertTrue(refused.path("reason").asText().contains("prod_orders is protected"), refused.toString());
            assertFalse(system.call("GET", system.scheduler, "/api/v1/instances/" + ids[0], null).path("Frozen").asBoolean());

            JsonNode allowed = system.call("POST", system.scheduler, "/api/v1/instance-operations/freeze", "{\"instanceIds\":[" + ids[1] + "]}");
            JsonNode applied = await().atMost(Duration.ofSeconds(60)).until(() -> system.call("GET", system.scheduler,
                    "/api/v1/pending-operations/" + allowed.path("pendingOperationId").asText(), null), p -> !p.path("state").asText().equals("CHECKING"));
            assertEquals("APPLIED", applied.path("state").asText(), applied.toString());
            assertEquals("WARN", applied.at("/checks/0/verdicts/0/result").asText());
            assertTrue(system.call("GET", system.scheduler, "/api/v1/instances/" + ids[1], null).path("Frozen").asBoolean());
        } finally {
            guard.destroy();
            guard.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            system.call("DELETE", system.scheduler, "/api/v1/extensions/" + guardCode, null);
        }
    }

    @Test
    void aWorkspaceDeletionWaitsForTheTenantsDeleteProjectExtension() throws Exception {
        long workspace = 2950;
        system.call("POST", system.registry, "/api/v1/workspaces", "{\"id\":" + workspace + ",\"tenantId\":" + TENANT_B + ",\"name\":\"to_delete\"}");
        String tenantLevel = system.call("POST", system.scheduler, "/api/v1/extensions", "{\"name\":\"deletion guard\",\"tenantId\":" + TENANT_B
                + ",\"owner\":\"e2e\",\"eventCodes\":[\"delete-project\"],\"testWorkspaceId\":" + workspace + "}").path("code").asText();
        try {
            system.call("POST", system.publisher, "/api/v1/subscriptions", "{\"tenantId\":" + TENANT_B + ",\"name\":\"deletion-guard\","
                    + "\"filter\":{\"types\":[\"dataworks:ProjectChange:DeleteProject\"]},"
                    + "\"target\":{\"kind\":\"HTTP\",\"url\":\"" + extension.url() + "\",\"format\":\"CLOUDEVENT\"}}");
            JsonNode first = system.call("DELETE", system.registry, "/api/v1/workspaces/" + workspace, null);
            assertEquals("Checking", first.path("state").asText(), first.toString());
            String check = first.path("checkIds").path(0).asText();
            assertEquals(first.path("pendingOperationId").asText(), system.call("GET", system.registry, "/api/v1/workspaces/" + workspace, null)
                    .path("checkingOperationId").asText(), "the workspace shows the hold");
            JsonNode pre = preEvent(check);
            assertEquals("delete-project", pre.at("/data/eventCode").asText());
            assertEquals(workspace, pre.at("/data/projectId").asLong());
            assertEquals("to_delete", pre.at("/data/extensionBizName").asText());
            assertTrue(pre.at("/data/blockBusiness").asBoolean());
            assertTrue(EventSchemas.problems(pre).isEmpty(), EventSchemas.problems(pre).toString());

            // Refused: the workspace stays, and a new deletion may be asked once the registry saw the refusal.
            callback("CallbackExtension", "TENANT_B", check, "FAIL", "the workspace still holds production tables", tenantLevel);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    return system.call("DELETE", system.registry, "/api/v1/workspaces/" + workspace, null).path("state").asText().equals("Checking");
                } catch (AssertionError stillHeld) {
                    return false;
                }
            });
            assertEquals(200, system.status("GET", system.registry, "/api/v1/workspaces/" + workspace));
            JsonNode second = await().atMost(Duration.ofSeconds(30)).until(() -> extension.deliveries().stream().map(Subscriber.Delivery::event)
                    .filter(e -> e.path("type").asText().equals("dataworks:ProjectChange:DeleteProject") && !e.path("id").asText().equals(check))
                    .findFirst().orElse(null), java.util.Objects::nonNull);

            // Passed: the registry deletes it and reports it applied.
            callback("UpdateWorkbenchEventResult", "TENANT_B", second.path("id").asText(), "OK", null, tenantLevel);
            await().atMost(Duration.ofSeconds(30)).until(() -> system.status("GET", system.registry, "/api/v1/workspaces/" + workspace) == 404);
            await().atMost(Duration.ofSeconds(30)).until(() -> system.call("GET", system.scheduler, "/api/v1/pending-operations/"
                    + second.at("/data/extensionBizId").asText(), null).path("state").asText().equals("APPLIED"));
        } finally {
            system.call("DELETE", system.scheduler, "/api/v1/extensions/" + tenantLevel, null);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The HTTP trigger node's instance of {@code daysAgo} days ago, waiting for its trigger. */
    private long waiting(int daysAgo) throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo);
        system.call("POST", system.scheduler, "/api/v1/workflows/" + FLOW + "/generate?date=" + day, "");
        long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        String path = "/api/v1/instances?ProjectId=" + WORKSPACE + "&TaskId=" + TRIGGER + "&TriggerTime=" + cyc;
        await().atMost(Duration.ofSeconds(30)).until(() -> system.call("GET", system.scheduler, path, null)
                .at("/PagingInfo/TaskInstances/0/Status").asText().equals("WaitTrigger"));
        return system.call("GET", system.scheduler, path, null).at("/PagingInfo/TaskInstances/0/Id").asLong();
    }

    /** Asks for the operation; it must be held in Checking; returns the check's id (the pre-event's id, the MessageId). */
    private String hold(String operation, long instance) throws Exception {
        JsonNode answer = system.call("POST", system.scheduler, "/api/v1/instance-operations/" + operation, "{\"instanceIds\":[" + instance + "]}");
        assertEquals("Checking", answer.path("state").asText(), answer.toString());
        return answer.path("checkIds").path(0).asText();
    }

    private JsonNode preEvent(String check) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> extension.deliveries().stream().map(Subscriber.Delivery::event)
                .filter(e -> e.path("id").asText().equals(check)).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private boolean frozen() throws Exception {
        long cyc = LocalDate.now(ZoneOffset.UTC).minusDays(2).atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        return system.call("GET", system.scheduler, "/api/v1/instances?ProjectId=" + WORKSPACE + "&TaskId=" + TRIGGER + "&TriggerTime=" + cyc, null)
                .at("/PagingInfo/TaskInstances/0/Frozen").asBoolean();
    }

    private String status(long instance) throws Exception {
        return system.call("GET", system.scheduler, "/api/v1/instances/" + instance, null).path("Status").asText();
    }

    /** A callback through the SDK's generic client (UpdateWorkbenchEventResult: query parameters; CallbackExtension: form body). */
    private Map<?, ?> callback(String action, String keyOf, String messageId, String result, String tip) throws Exception {
        return callback(action, keyOf, messageId, result, tip, code);
    }

    private Map<?, ?> callback(String action, String keyOf, String messageId, String result, String tip, String extensionCode) throws Exception {
        Config config = new Config().setAccessKeyId(keys.getProperty(keyOf + "_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty(keyOf + "_ACCESS_KEY_SECRET")).setEndpoint("127.0.0.1:" + system.gateway).setProtocol("HTTP");
        Map<String, String> values = new HashMap<>(Map.of("MessageId", messageId, "ExtensionCode", extensionCode, "CheckResult", result));
        if (tip != null) {
            values.put(action.equals("CallbackExtension") ? "CheckMessage" : "CheckResultTip", tip);
        }
        OpenApiRequest request = new OpenApiRequest();
        Params params = new Params().setAction(action).setVersion("2020-05-18").setProtocol("HTTP").setMethod("POST").setAuthType("AK")
                .setStyle("RPC").setPathname("/").setBodyType("json");
        if (action.equals("UpdateWorkbenchEventResult")) {
            request.setQuery(values);
            params.setReqBodyType("json");
        } else {
            request.setBody(values);
            params.setReqBodyType("formData");
        }
        Map<String, ?> answer = new Client(config).callApi(params, request, new RuntimeOptions().setAutoretry(false));
        return (Map<?, ?>) answer.get("body");
    }

    private String refusal(String action, String keyOf, String messageId, String result, String tip) throws Exception {
        try {
            callback(action, keyOf, messageId, result, tip);
        } catch (TeaException e) {
            return e.getCode();
        }
        fail(action + " was accepted");
        return null;
    }
}
