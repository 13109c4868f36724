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
