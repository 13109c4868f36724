package dev.triggerlayer.examples.freezeguard;

import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A sample extension (docs/extensions.md; README beside this module): an HTTP subscription
 * delivers the tenant's {@code pre-freeze-instance} events here as CloudEvents; freezing an
 * instance of a node whose name matches {@code FREEZE_GUARD_PATTERN} is refused (FAIL), any other
 * freeze passes with a warning (WARN). The answer goes to the gateway as
 * {@code UpdateWorkbenchEventResult}, signed with the tenant's AccessKey. A delivery is
 * acknowledged only once the answer was taken, so a failed answer is delivered (and answered)
 * again; answers are idempotent, so that is safe.
 */
public final class FreezeGuard {

    private final Pattern protectedNodes;
    private final String extensionCode;
    private final Client client;

    FreezeGuard(Pattern protectedNodes, String extensionCode, Client client) {
        this.protectedNodes = protectedNodes;
        this.extensionCode = extensionCode;
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(env("FREEZE_GUARD_PORT", "8090"));
        Config config = new Config().setAccessKeyId(env("ALIBABA_CLOUD_ACCESS_KEY_ID", null))
                .setAccessKeySecret(env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", null))
                .setEndpoint(env("FREEZE_GUARD_ENDPOINT", "127.0.0.1:8080")).setProtocol(env("FREEZE_GUARD_PROTOCOL", "HTTP"));
        FreezeGuard guard = new FreezeGuard(Pattern.compile(env("FREEZE_GUARD_PATTERN", "^prod_")), env("FREEZE_GUARD_EXTENSION_CODE", null),
                new Client(config));
        HttpServer server = HttpServer.create(new InetSocketAddress(env("FREEZE_GUARD_HOST", "127.0.0.1"), port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/events", guard::handle);
        server.start();
        System.out.println("freeze-guard listening on " + server.getAddress() + ", protecting nodes matching " + guard.protectedNodes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonObject event = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            Optional<String[]> verdict = decide(event);
            if (verdict.isPresent()) {
                answer(event.get("id").getAsString(), verdict.get()[0], verdict.get()[1]);
            }
            exchange.sendResponseHeaders(204, -1);
        } catch (Exception e) {
            // Not acknowledged: the publisher delivers it again (with backoff), and the answer is sent again.
            System.err.println("freeze-guard: " + e);
            exchange.sendResponseHeaders(500, -1);
        }
    }

    /** OK/WARN/FAIL and its tip for a pre-freeze event; empty for any other event. */
    Optional<String[]> decide(JsonObject event) {
        JsonObject data = event.getAsJsonObject("data");
        if (data == null || !"pre-freeze-instance".equals(data.get("eventCode").getAsString())) {
            return Optional.empty();
        }
        String[] names = data.get("extensionBizName").getAsString().split(",");
        return Optional.of(Arrays.stream(names).filter(n -> protectedNodes.matcher(n).find()).findFirst()
                .map(n -> new String[] {"FAIL", "node " + n + " is protected from freezing (" + protectedNodes + ")"})
                .orElse(new String[] {"WARN", "checked by freeze-guard: no protected node"}));
    }

    private void answer(String messageId, String result, String tip) throws Exception {
        Params params = new Params().setAction("UpdateWorkbenchEventResult").setVersion("2020-05-18").setProtocol("HTTP").setMethod("POST")
                .setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("json").setBodyType("json");
        OpenApiRequest request = new OpenApiRequest().setQuery(Map.of("MessageId", messageId, "ExtensionCode", extensionCode,
                "CheckResult", result, "CheckResultTip", tip));
        client.callApi(params, request, new RuntimeOptions().setAutoretry(false));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return fallback;
        }
        return v;
    }
}
