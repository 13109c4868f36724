package dev.triggerlayer.gateway;

import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.signature.SdkV3Signer;
import dev.triggerlayer.gateway.signature.TestSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.gateway.GatewayHarness.port;
import static dev.triggerlayer.gateway.GatewayHarness.scheduler;
import static dev.triggerlayer.gateway.GatewayHarness.time;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static dev.triggerlayer.gateway.World.B_DEV_KEY;
import static dev.triggerlayer.gateway.World.NODE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of the security review (issue 14), each sent as raw bytes to the running gateway:
 * what runs is what was signed, requests signed for another host are refused, inputs that once
 * produced a 5xx get documented 4xx codes, and the abuse limits hold.
 */
@QuarkusTest
class GatewaySecurityTest {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Inject
    Directory directory;

    @Inject
    Pool pool;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    // 1. Integrity: the action and version come from the signed field only.

    @Test
    void anUnsignedActionHeaderCannotRedirectAV1Request() throws Exception {
        Map<String, String> get = v1("GetTaskInstance", B_DEV_KEY, Map.of("Id", "1"));
        RawHttp.Answer redirected = RawHttp.send(port(), "GET", "/?" + TestSigner.v1Query(get, B_DEV_KEY.secret()),
                Map.of("x-acs-action", "ListTaskInstances"), new byte[0]);
        assertError(redirected, 400, "InvalidParameter", "x-acs-action");

        int before = scheduler.commands.size();
        Map<String, String> list = v1("ListTaskInstances", B_DEV_KEY, Map.of("ProjectId", String.valueOf(World.WS_B), "Bizdate", "1796054400000"));
        RawHttp.Answer toTrigger = RawHttp.send(port(), "GET", "/?" + TestSigner.v1Query(list, B_DEV_KEY.secret()),
                Map.of("x-acs-action", "TriggerSchedulerTaskInstance", "x-acs-version", "2024-05-18"), new byte[0]);
        assertError(toTrigger, 400, "InvalidParameter", "x-acs-action");
        assertEquals(before, scheduler.commands.size(), "nothing was published");
        assertEquals(0, nonceRows(B_DEV_KEY.id(), get.get("SignatureNonce"), list.get("SignatureNonce")),
                "a refused request claims no nonce");
    }

    @Test
    void aV3RequestWhoseParametersNameAnotherActionIsRefused() throws Exception {
        RawHttp.Answer answer = v3Trigger(B_DEV_KEY, "127.0.0.1:" + port(), Map.of("Action", "ListTaskInstances"), time(0));
        assertError(answer, 400, "InvalidParameter", "Action");
    }

    // 2. V3 signs the host: a request signed for another endpoint is refused here.

    @Test
    void aV3RequestSignedForAnotherEndpointIsRefused() throws Exception {
        RawHttp.Answer elsewhere = v3Trigger(B_DEV_KEY, "dataworks.eu-central-1.example.com", Map.of(), time(0));
        assertError(elsewhere, 400, "InvalidParameter", "host");

        RawHttp.Answer here = v3Trigger(B_DEV_KEY, "127.0.0.1:" + port(), Map.of(), time(0));
        assertEquals(200, here.status(), here.raw());
        assertEquals(Boolean.TRUE, here.json().path("Success").asBoolean());
    }

    // 3. Inputs that produced a 5xx.

    @Test
    void anHttp10RequestWithoutHostGetsADocumentedError() throws Exception {
        Map<String, String> get = v1("GetTaskInstance", B_DEV_KEY, Map.of("Id", "abc"));
        RawHttp.Answer answer = RawHttp.exchange(port(), ("GET /?" + TestSigner.v1Query(get, B_DEV_KEY.secret()) + " HTTP/1.0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertError(answer, 400, "InvalidParameter", "Id");
    }

    @Test
    void aNulCharacterInASignedNonceIsInvalidParameter() throws Exception {
        Map<String, String> params = v1("TriggerSchedulerTaskInstance", B_DEV_KEY, triggerParams(time(0)));
        params.put("SignatureNonce", "nonce\u0000" + UUID.randomUUID());
        assertError(RawHttp.get(port(), "/?" + TestSigner.v1Query(params, B_DEV_KEY.secret())), 400, "InvalidParameter", "SignatureNonce");
    }

    @Test
    void rawCharactersThatMustBeEncodedAreRefusedWithoutReachingTheEndpoint() throws Exception {
        for (char c : "|{}\"^\\`<>".toCharArray()) {
            // In the request line the HTTP codec refuses them (RFC 3986) with a bare 400 before any code runs (docs/errors.md).
            Map<String, String> params = v1("TriggerSchedulerTaskInstance", B_DEV_KEY, triggerParams(time(0)));
            RawHttp.Answer inQuery = RawHttp.get(port(), "/?" + TestSigner.v1Query(params, B_DEV_KEY.secret()) + "&X=a" + c + "b");
            assertEquals(400, inQuery.status(), inQuery.raw());
            assertEquals(0, nonceRows(B_DEV_KEY.id(), params.get("SignatureNonce")));

            // In a form body the codec does not look: the gateway's own decoder refuses them, naming the problem.
            Map<String, String> signed = v1("TriggerSchedulerTaskInstance", B_DEV_KEY, Map.of());
            String form = "TaskId=" + NODE_B + "&EnvType=Prod&TriggerTime=" + time(0) + "&X=a" + c + "b";
            RawHttp.Answer inBody = RawHttp.send(port(), "POST", "/?" + TestSigner.v1Query(signed, B_DEV_KEY.secret()),
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), form.getBytes(StandardCharsets.ISO_8859_1));
            assertError(inBody, 400, "InvalidParameter", "percent-encoded");
        }
    }

    // 9. Abuse limits.

    @Test
    void throttledRequestsLeaveNoNonceBehind() throws Exception {
        List<String> throttled = new ArrayList<>();
        List<String> admitted = new ArrayList<>();
        for (int i = 0; i < 60 && throttled.size() < 5; i++) {
            // Node C's tenant lacks the edition: an admitted request is refused after its nonce is claimed, cheaply.
            Map<String, String> params = v1("TriggerSchedulerTaskInstance", World.THROTTLED_KEY, Map.of("TaskId", String.valueOf(World.NODE_C),
                    "EnvType", "Prod", "TriggerTime", String.valueOf(time(0))));
            RawHttp.Answer answer = RawHttp.get(port(), "/?" + TestSigner.v1Query(params, World.THROTTLED_KEY.secret()));
            String code = answer.json().path("Code").asText();
            (code.equals("Throttling.User") ? throttled : admitted).add(params.get("SignatureNonce"));
        }
        assertEquals(5, throttled.size(), "the rate limit was reached");
        assertEquals(0, nonceRows(World.THROTTLED_KEY.id(), throttled.toArray(String[]::new)));
        assertEquals(admitted.size(), nonceRows(World.THROTTLED_KEY.id(), admitted.toArray(String[]::new)), "admitted requests did claim theirs");
    }

    @Test
    void headDoesNotRunTheTrigger() throws Exception {
        long t = time(0);
        Map<String, String> params = v1("TriggerSchedulerTaskInstance", B_DEV_KEY, triggerParams(t));
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("HEAD /?" + TestSigner.v1Query(params, B_DEV_KEY.secret()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 405"), head);
            assertTrue(head.toLowerCase().contains("allow: get, post"), head);
        }
        assertEquals(0, nonceRows(B_DEV_KEY.id(), params.get("SignatureNonce")), "the handler never ran");
        assertTrue(scheduler.commands.stream().noneMatch(c -> c.path("triggerTime").asLong() == t));
    }

    @Test
    void stsSecurityTokensAreRefusedInBothSchemes() throws Exception {
        Map<String, String> params = v1("TriggerSchedulerTaskInstance", B_DEV_KEY, triggerParams(time(0)));
        params.put("SecurityToken", "CAIS-sts-token");
        assertError(RawHttp.get(port(), "/?" + TestSigner.v1Query(params, B_DEV_KEY.secret())), 400, "InvalidSecurityToken.NotSupported", "STS");

        RawHttp.Answer v3 = v3Request(B_DEV_KEY, "127.0.0.1:" + port(), Map.of(), triggerForm(time(0)),
                Map.of("x-acs-security-token", "CAIS-sts-token"));
        assertError(v3, 400, "InvalidSecurityToken.NotSupported", "STS");
    }

    @Test
    void anOversizedBodyIsRefusedFromItsLengthBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // No byte of the body is sent: the answer must come from the declared length alone.
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"Code\":\"RequestEntityTooLarge\""), answer);
        }
    }

    @Test
    void aChunkedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = ("2000\r\n" + "a".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            int sent = 0;
            try {
                for (int i = 0; i < 12; i++) { // 96 KiB, and the body never ends: the gateway must not wait for it
                    out.write(chunk);
                    sent += 0x2000;
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the gateway closed the connection while we were still sending: that is the point
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer + " after " + sent + " bytes");
        }
    }

    // Helpers.

    private static void assertError(RawHttp.Answer answer, int status, String code, String messagePart) {
        assertEquals(status, answer.status(), answer.raw());
        assertNotNull(answer.json(), answer.raw());
        assertEquals(code, answer.json().path("Code").asText(), answer.raw());
        assertTrue(answer.json().path("Message").asText().contains(messagePart), answer.raw());
        assertTrue(answer.json().hasNonNull("RequestId"), answer.raw());
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().trim();
    }

    private long nonceRows(String accessKeyId, String... nonces) {
        return pool.preparedQuery("select count(*) from signature_nonce where access_key_id = $1 and nonce = any($2)")
                .execute(Tuple.of(accessKeyId, nonces)).await().indefinitely().iterator().next().getLong(0);
    }

    private static Map<String, String> triggerParams(long triggerTime) {
        return Map.of("TaskId", String.valueOf(NODE_B), "EnvType", "Prod", "TriggerTime", String.valueOf(triggerTime));
    }

    private static String triggerForm(long triggerTime) {
        return "TaskId=" + NODE_B + "&EnvType=Prod&TriggerTime=" + triggerTime;
    }

    private static Map<String, String> v1(String action, World.Key key, Map<String, String> extra) {
        Map<String, String> params = new HashMap<>(Map.of("Action", action, "Version", "2024-05-18", "Format", "JSON",
                "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0", "SignatureNonce", UUID.randomUUID().toString(),
                "AccessKeyId", key.id(), "Timestamp", ISO.format(Instant.now())));
        params.putAll(extra);
        return params;
    }

    private RawHttp.Answer v3Trigger(World.Key key, String host, Map<String, String> query, long triggerTime) throws Exception {
        return v3Request(key, host, query, triggerForm(triggerTime), Map.of());
    }

    /** A V3 TriggerSchedulerTaskInstance signed by the SDK utility for {@code host} and sent with that Host header. */
    private RawHttp.Answer v3Request(World.Key key, String host, Map<String, String> query, String form, Map<String, String> signedExtra)
            throws Exception {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        Map<String, String> extra = new HashMap<>(signedExtra);
        extra.putAll(Map.of("x-acs-action", "TriggerSchedulerTaskInstance", "x-acs-version", "2024-05-18",
                "x-acs-date", ISO.format(Instant.now()), "x-acs-signature-nonce", UUID.randomUUID().toString(),
                "content-type", "application/x-www-form-urlencoded"));
        Map<String, String> headers = SdkV3Signer.headers("POST", "/", query, host, extra, body, key.id(), key.secret());
        StringBuilder target = new StringBuilder("/");
        query.forEach((k, v) -> target.append(target.length() == 1 ? "?" : "&").append(k).append('=').append(v));
        return RawHttp.send(port(), "POST", target.toString(), headers, body);
    }
}
