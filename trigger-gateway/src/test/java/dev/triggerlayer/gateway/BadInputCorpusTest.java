package dev.triggerlayer.gateway;

import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.signature.TestSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of malformed requests: truncated and altered signatures, duplicate parameters, odd
 * encodings, huge values, wrong types. Every answer is a documented error body, never a 500.
 */
@QuarkusTest
class BadInputCorpusTest {

    static final Set<String> DOCUMENTED = Set.of("MissingParameter", "InvalidParameter", "SignatureDoesNotMatch", "IncompleteSignature",
            "InvalidTimeStamp.Expired", "InvalidTimeStamp.Format", "SignatureNonceUsed", "InvalidAccessKeyId.NotFound",
            "InvalidAccessKeyId.Inactive", "InvalidAction.NotFound", "InvalidVersion", "RequestEntityTooLarge", "Throttling.User",
            "Forbidden.NoPermission", "Forbidden.CrossTenant", "Forbidden.EditionNotSupported", "InvalidTaskId.NotFound");

    @Inject
    Directory directory;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    @Test
    void malformedRequestsGetDocumentedErrorsAndNever500() throws Exception {
        Random random = new Random(20261122);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        Map<String, Integer> codes = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            Map<String, String> params = validParams();
            String query;
            switch (i % 10) {
                case 0 -> { // truncated signature
                    String q = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                    query = q.substring(0, q.length() - 1 - random.nextInt(10));
                }
                case 1 -> { // a parameter changed after signing
                    String q = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                    query = q.replace("TaskId=" + World.NODE_B, "TaskId=" + (World.NODE_B + 1 + random.nextInt(9)));
                }
                case 2 -> { // a signed duplicate parameter
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret()) + "&TaskId=" + random.nextInt(1000);
                }
                case 3 -> { // odd percent-encodings
                    String[] odd = {"%", "%zz", "%E4", "%C0%AF", "%00", "%FF%FE", "%%", "+%2"};
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret()) + "&X=" + odd[random.nextInt(odd.length)];
                }
                case 4 -> { // huge values, signed correctly
                    params.put("TriggerTime", "9".repeat(1 + random.nextInt(4000)));
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                }
                case 5 -> { // wrong types, signed correctly
                    String[] bad = {"abc", "-1", "1.5", "", " ", "0x10", "1e9", "null", "[]", "١٢٣"};
                    params.put(random.nextBoolean() ? "TaskId" : "TriggerTime", bad[random.nextInt(bad.length)]);
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                }
                case 6 -> { // a required signing parameter missing
                    String[] keys = {"SignatureNonce", "Timestamp", "AccessKeyId", "SignatureMethod", "SignatureVersion"};
                    params.remove(keys[random.nextInt(keys.length)]);
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                }
                case 7 -> { // bad timestamps and methods
                    String[] ts = {"2026-13-01T00:00:00Z", "yesterday", "2026-11-22 00:00:00", "1700000000", ""};
                    params.put(random.nextBoolean() ? "Timestamp" : "SignatureMethod", ts[random.nextInt(ts.length)]);
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                }
                case 8 -> { // unknown actions and versions, unknown keys
                    params.put(random.nextBoolean() ? "Action" : "Version", "Bogus" + random.nextInt(100));
                    if (random.nextBoolean()) {
                        params.put("AccessKeyId", "LTAI" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
                    }
                    query = TestSigner.v1Query(params, World.B_DEV_KEY.secret());
                }
                default -> { // random bytes as the query
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < 1 + random.nextInt(200); k++) {
                        sb.append("=&%+?#Aa0zZ-_.~!*'();:@$,/[]".charAt(random.nextInt(28)));
                    }
                    query = sb.toString().replace("#", "%23").replace("[", "%5B").replace("]", "%5D");
                }
            }
            RawHttp.Answer r = RawHttp.get(GatewayHarness.port(), "/?" + query);
            sent++;
            if (!validUri("/?" + query)) {
                // Not a URL at all (RFC 3986): the HTTP layer refuses it with a bare 400 before any route.
                codes.merge("transport-400", 1, Integer::sum);
                if (r.status() != 400) {
                    failures.add(i + ": invalid URL answered " + r.raw());
                }
                continue;
            }
            String code = r.json() == null ? null : r.json().path("Code").asText(null);
            codes.merge(String.valueOf(code), 1, Integer::sum);
            if (r.status() >= 500 || code == null || !DOCUMENTED.contains(code) || r.json().path("RequestId").isMissingNode()) {
                failures.add(i + ": " + r.raw() + " for ..." + query.substring(Math.max(0, query.length() - 80)));
            }
        }
        // Bodies: oversized, a V3 header without a body hash, garbage content types.
        for (int i = 0; i < 100; i++) {
            Response r;
            switch (i % 4) {
                case 0 -> r = given().contentType("application/x-www-form-urlencoded").body("TaskId=" + "1".repeat(70_000)).post("/");
                case 1 -> r = given().header("Authorization", "ACS3-HMAC-SHA256 Credential=" + World.B_DEV_KEY.id() + ",SignedHeaders=host,Signature=" + "ab".repeat(32))
                        .header("x-acs-action", "TriggerSchedulerTaskInstance").header("x-acs-version", "2024-05-18")
                        .contentType("application/x-www-form-urlencoded").body("TaskId=1").post("/");
                case 2 -> r = given().contentType("application/json").body("{\"TaskId\":" + i + "}").post("/?Action=TriggerSchedulerTaskInstance&Version=2024-05-18");
                default -> r = given().header("Authorization", "ACS3-HMAC-SHA256 " + "x".repeat(i * 50))
                        .header("x-acs-action", "TriggerSchedulerTaskInstance").header("x-acs-version", "2024-05-18").post("/");
            }
            sent++;
            String code = r.contentType().startsWith("application/json") ? r.jsonPath().getString("Code") : null;
            codes.merge(String.valueOf(code), 1, Integer::sum);
            if (r.statusCode() >= 500 || code == null || !DOCUMENTED.contains(code)) {
                failures.add("body " + i + ": " + r.statusCode() + " " + r.asString());
            }
        }
        System.out.println("bad-input corpus: " + sent + " requests, codes " + codes);
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), failures.size() + " undocumented answers");
        assertTrue(sent >= 500);
    }

    /**
     * The classes of the security review (issue 14), each signed correctly so it reaches as deep as
     * it can: unsigned headers naming another action, requests signed for another host, STS tokens,
     * NUL and raw characters, out-of-range query values, unknown filters, HTTP/1.0 without Host.
     */
    @Test
    void signedAttacksGetDocumentedErrorsAndNever500() throws Exception {
        Random random = new Random(20261201);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> codes = new TreeMap<>();
        String[] huge = {"2147483648", "4294967295", "9223372036854775807", "99999999999999999999", "-1", "0", "1e3", "0x1F", " 1", "1 "};
        String[] listParams = {"PageSize", "PageNumber", "Bizdate", "Id", "TaskId", "WorkflowId", "WorkflowInstanceId", "UnifiedWorkflowInstanceId"};
        String[] words = {"Status", "TaskType", "TriggerType", "TriggerRecurrence", "WorkflowInstanceType", "SortBy", "ProjectEnv", "Filter",
                "Ids", "TaskIds", "BizDate", "TriggerTime", "Foo", "taskid", "PROJECTID"};
        String[] wordValues = {"", "x", "WaitTrigger", "Unknown", "[", "{}", "[1,", "{\"a\":1}", "Id Sideways", "null", "[\"1\"]",
                "\u0000", "%", "[" + "1,".repeat(1200) + "1]", "{\"startedTimeStart\":\"abc\"}"};
        int sent = 0;
        for (int i = 0; i < 320; i++) {
            RawHttp.Answer r;
            String label;
            switch (i % 8) {
                case 0 -> { // out-of-range and malformed numbers in every numeric ListTaskInstances parameter
                    String name = listParams[random.nextInt(listParams.length)];
                    label = "ListTaskInstances " + name;
                    Map<String, String> p = signedParams("ListTaskInstances", Map.of("ProjectId", String.valueOf(World.WS_B), name,
                            huge[random.nextInt(huge.length)]));
                    r = RawHttp.get(GatewayHarness.port(), "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()));
                }
                case 1 -> { // unknown parameters and bad enumerations, signed
                    String name = words[random.nextInt(words.length)];
                    label = "ListTaskInstances " + name;
                    Map<String, String> p = signedParams("ListTaskInstances", Map.of("ProjectId", String.valueOf(World.WS_B), name,
                            wordValues[random.nextInt(wordValues.length)]));
                    r = RawHttp.get(GatewayHarness.port(), "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()));
                }
                case 2 -> { // an unsigned header naming another action or version
                    String[] actions = {"TriggerSchedulerTaskInstance", "ListTaskInstances", "RunTriggerNode", "DeleteEverything"};
                    label = "x-acs-action redirect";
                    Map<String, String> p = signedParams("GetTaskInstance", Map.of("Id", "555"));
                    r = RawHttp.send(GatewayHarness.port(), "GET", "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()),
                            random.nextBoolean() ? Map.of("x-acs-action", actions[random.nextInt(actions.length)])
                                    : Map.of("x-acs-version", "2020-05-18"), new byte[0]);
                }
                case 3 -> { // V3 signed for another endpoint, or with disagreeing parameters
                    String[] hosts = {"dataworks.cn-shanghai.aliyuncs.com", "127.0.0.2:" + GatewayHarness.port(), "evil.example", "localhost.evil"};
                    label = "V3 host";
                    byte[] body = ("TaskId=" + World.NODE_B + "&EnvType=Prod&TriggerTime=" + GatewayHarness.time(0)).getBytes(StandardCharsets.UTF_8);
                    Map<String, String> extra = new HashMap<>(Map.of("x-acs-action", "TriggerSchedulerTaskInstance", "x-acs-version", "2024-05-18",
                            "x-acs-date", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()),
                            "x-acs-signature-nonce", UUID.randomUUID().toString(), "content-type", "application/x-www-form-urlencoded"));
                    boolean otherHost = random.nextBoolean();
                    Map<String, String> query = otherHost ? Map.of() : Map.of("Action", "ListTaskInstances");
                    String host = otherHost ? hosts[random.nextInt(hosts.length)] : "127.0.0.1:" + GatewayHarness.port();
                    Map<String, String> headers = dev.triggerlayer.gateway.signature.SdkV3Signer.headers("POST", "/", query, host, extra, body,
                            World.B_DEV_KEY.id(), World.B_DEV_KEY.secret());
                    r = RawHttp.send(GatewayHarness.port(), "POST", otherHost ? "/" : "/?Action=ListTaskInstances", headers, body);
                }
                case 4 -> { // STS tokens
                    label = "SecurityToken";
                    Map<String, String> p = signedParams("TriggerSchedulerTaskInstance", Map.of("TaskId", String.valueOf(World.NODE_B),
                            "TriggerTime", String.valueOf(GatewayHarness.time(0)), "SecurityToken", "CAIS" + random.nextInt()));
                    r = RawHttp.get(GatewayHarness.port(), "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()));
                }
                case 5 -> { // NUL in a signed value (the nonce among them)
                    String[] names = {"SignatureNonce", "TaskId", "EnvType", "ClientToken", "TriggerTime"};
                    String name = names[random.nextInt(names.length)];
                    label = "NUL in " + name;
                    Map<String, String> p = signedParams("TriggerSchedulerTaskInstance", Map.of("TaskId", String.valueOf(World.NODE_B),
                            "TriggerTime", String.valueOf(GatewayHarness.time(0))));
                    p.put(name, (p.containsKey(name) ? p.get(name) : "v") + "\u0000" + random.nextInt(100));
                    r = RawHttp.get(GatewayHarness.port(), "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()));
                }
                case 6 -> { // raw characters that must be encoded, in a form body
                    String raw = "|{}\"^\\`<> \u00e9";
                    label = "raw body character";
                    Map<String, String> p = signedParams("TriggerSchedulerTaskInstance", Map.of());
                    String form = "TaskId=" + World.NODE_B + "&TriggerTime=" + GatewayHarness.time(0) + "&X=a" + raw.charAt(random.nextInt(raw.length())) + "b";
                    r = RawHttp.send(GatewayHarness.port(), "POST", "/?" + TestSigner.v1Query(p, World.B_DEV_KEY.secret()),
                            Map.of("Content-Type", "application/x-www-form-urlencoded"), form.getBytes(StandardCharsets.UTF_8));
                }
                default -> { // HTTP/1.0 without Host, signed or not
                    label = "HTTP/1.0 without Host";
                    Map<String, String> p = signedParams("GetTaskInstance", Map.of("Id", random.nextBoolean() ? "555" : "x"));
                    String target = "/?" + (random.nextBoolean() ? TestSigner.v1Query(p, World.B_DEV_KEY.secret()) : "Action=GetTaskInstance");
                    r = RawHttp.exchange(GatewayHarness.port(), ("GET " + target + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            sent++;
            String code = r.json() == null ? null : r.json().path("Code").asText(null);
            codes.merge(String.valueOf(code), 1, Integer::sum);
            boolean accepted = r.status() == 200 && code == null;
            if (r.status() >= 500 || (!accepted && (code == null || !DOCUMENTED_SIGNED.contains(code)))) {
                failures.add(i + " (" + label + "): " + r.raw());
            }
            // Some generated values are valid (a 10-digit id, an empty value): only the attacks proper must never pass.
            if (accepted && !label.startsWith("HTTP/1.0") && !label.startsWith("ListTaskInstances")) {
                failures.add(i + " (" + label + ") was accepted: " + r.raw());
            }
        }
        System.out.println("signed attack corpus: " + sent + " requests, codes " + codes);
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), failures.size() + " wrong answers");
        assertTrue(sent >= 300);
    }

    static final Set<String> DOCUMENTED_SIGNED = Set.of("InvalidParameter", "MissingParameter", "InvalidSecurityToken.NotSupported",
            "Forbidden.NoPermission", "InvalidTaskInstance.NotFound", "InvalidVersion", "InvalidAction.NotFound", "SignatureDoesNotMatch");

    private static Map<String, String> signedParams(String action, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("Action", action, "Version", "2024-05-18", "Format", "JSON",
                "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "SignatureNonce", UUID.randomUUID().toString(),
                "AccessKeyId", World.B_DEV_KEY.id(),
                "Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())));
        p.putAll(extra);
        return p;
    }

    private static boolean validUri(String target) {
        try {
            new java.net.URI(target);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Map<String, String> validParams() {
        return new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18", "Format", "JSON",
                "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "SignatureNonce", UUID.randomUUID().toString(),
                "AccessKeyId", World.B_DEV_KEY.id(),
                "Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()),
                "TaskId", String.valueOf(World.NODE_B), "TriggerTime", String.valueOf(GatewayHarness.time(3))));
    }
}
