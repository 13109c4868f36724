package dev.triggerlayer.e2e;

import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system as a user runs it from its manifests: deploy/run-containers.sh builds the images
 * (from Debian packages and this build), plays the local overlay with podman and waits for
 * readiness; an official SDK triggers an HTTP trigger node; its downstream shell node succeeds
 * and the status changes reach the tenant's bus; then everything is torn down.
 */
class ContainersIT {

    static final Path ROOT = TriggerLayer.repositoryRoot();
    static final Path DATA = Path.of("/var/lib/triggerlayer-containers");
    static final long TENANT_B = 1002, WORKSPACE_B = 2002, FLOW = 7100, TRIGGER = 7101, DOWNSTREAM = 7102;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Properties tokens, keys;
    static Path log;

    @BeforeAll
    static void up() throws Exception {
        // Tests print little: this test starts no embedded server, which would have quieted the Kafka client's INFO lines.
        dev.triggerlayer.testsupport.TestLogging.quiet();
        log = Files.createTempFile("triggerlayer-containers-", ".log");
        // --build: the service images from this very build; the base images are cached.
        run(Duration.ofMinutes(25), "deploy/run-containers.sh", "up", "--build");
        tokens = properties(DATA.resolve("secrets/tokens.env"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(DATA.resolve("demo/demo-credentials.env")));
        keys = properties(DATA.resolve("demo/demo-credentials.env"));
    }

    @AfterAll
    static void down() throws Exception {
        run(Duration.ofMinutes(3), "deploy/run-containers.sh", "down", "--purge");
        Process pods = new ProcessBuilder("podman", "pod", "ps", "-q").start();
        String left = new String(pods.getInputStream().readAllBytes()).trim();
        assertEquals(0, pods.waitFor());
        assertEquals("", left, "pods left after down");
    }

    @Test
    void anSdkTriggerRunsTheDownstreamNodeAndTheEventsReachTheTenantsBus() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        long cyc = day.atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        scheduler("POST", "/api/v1/workflows", "{\"id\":" + FLOW + ",\"tenantId\":" + TENANT_B + ",\"workspaceId\":" + WORKSPACE_B
                + ",\"env\":\"Prod\",\"name\":\"containers\",\"owner\":\"e2e\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + TRIGGER + ",\"name\":\"c_trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00 08 * * ?\"},"
                + "{\"id\":" + DOWNSTREAM + ",\"name\":\"c_downstream\",\"type\":\"SHELL\",\"cron\":\"00 00 08 * * ?\","
                + "\"script\":\"echo DataWorks-in-a-container\",\"upstream\":[" + TRIGGER + "]}]}");
        scheduler("POST", "/api/v1/workflows/" + FLOW + "/deploy", "");
        scheduler("POST", "/api/v1/workflows/" + FLOW + "/generate?date=" + day, "");
        await().atMost(Duration.ofSeconds(60)).until(() -> status(TRIGGER, cyc).equals("WaitTrigger"));

        // Tenant A's own AccessKey under tenant B's demo grant, through the official SDK.
        Config config = new Config().setAccessKeyId(keys.getProperty("TENANT_A_ACCESS_KEY_ID"))
                .setAccessKeySecret(keys.getProperty("TENANT_A_ACCESS_KEY_SECRET")).setEndpoint("127.0.0.1:8080").setProtocol("HTTP");
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        Map<String, ?> answer = new Client(config).callApi(params, new OpenApiRequest().setBody(Map.of("TaskId", TRIGGER, "EnvType", "Prod",
                "TriggerTime", cyc)), new RuntimeOptions().setAutoretry(false));
        Map<?, ?> body = (Map<?, ?>) answer.get("body");
        assertEquals(Boolean.TRUE, body.get("Success"), String.valueOf(answer));
        assertEquals("Triggered", String.valueOf(body.get("TriggerOutcome")), String.valueOf(answer));

        await().atMost(Duration.ofSeconds(90)).until(() -> status(DOWNSTREAM, cyc).equals("Success"));
        long downstream = instance(DOWNSTREAM, cyc).path("Id").asLong();
        long trigger = instance(TRIGGER, cyc).path("Id").asLong();
        assertTrue(scheduler("GET", "/api/v1/instances/" + downstream + "/log", null).path("log").asText().contains("DataWorks-in-a-container"));

        // Status changes on tenant B's bus: the trigger node waited (2) then succeeded (6); the shell 3 → 4 → 6.
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses(downstream).equals(List.of(3, 4, 6)));
        assertEquals(List.of(2, 6), statuses(trigger));
        for (JsonNode event : bus()) {
            assertTrue(EventSchemas.problems(event).isEmpty(), event + ": " + EventSchemas.problems(event));
        }
    }

    private static List<Integer> statuses(long instance) throws Exception {
        return bus().stream().filter(e -> e.path("type").asText().equals("dataworks:InstanceStatusChanges:InstanceStatusChanges")
                && e.path("data").path("taskId").asLong() == instance).map(e -> e.path("data").path("status").asInt()).toList();
    }

    /** Every event on tenant B's default bus, from the containers' broker. */
    private static List<JsonNode> bus() throws Exception {
        String topic = "tenant." + TENANT_B + ".bus.default";
        return Topics.readAll("127.0.0.1:29092", List.of(topic), Duration.ofSeconds(20)).getOrDefault(topic, List.of());
    }

    private static String status(long node, long cyc) throws Exception {
        return instance(node, cyc).path("Status").asText();
    }

    private static JsonNode instance(long node, long cyc) throws Exception {
        return scheduler("GET", "/api/v1/instances?ProjectId=" + WORKSPACE_B + "&TaskId=" + node + "&TriggerTime=" + cyc, null)
                .path("PagingInfo").path("TaskInstances").path(0);
    }

    private static JsonNode scheduler(String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081" + path))
                .header("Authorization", "Bearer " + tokens.getProperty("SCHEDULER_ADMIN_TOKEN")).header("X-Operator", "e2e")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, method + " " + path + " -> " + response.statusCode() + " " + response.body());
        return response.body().isBlank() ? TriggerLayer.JSON.nullNode() : TriggerLayer.JSON.readTree(response.body());
    }

    private static void run(Duration timeout, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + "; its output: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed; its output: " + tail(log));
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
