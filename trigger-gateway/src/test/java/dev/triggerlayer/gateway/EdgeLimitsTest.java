package dev.triggerlayer.gateway;

import dev.triggerlayer.gateway.directory.Directory;
import dev.triggerlayer.gateway.signature.TestSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.triggerlayer.gateway.GatewayHarness.port;
import static dev.triggerlayer.gateway.GatewayHarness.time;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits at the edge, with tight settings: failed authentications per client address and per
 * AccessKey id (the addresses come from X-Forwarded-For, as behind an ingress, so one test can be
 * many clients), and the idle timeout of a connection that sends nothing.
 */
@QuarkusTest
@TestProfile(EdgeLimitsTest.TightLimits.class)
class EdgeLimitsTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.failed-auth.per-address-burst", "5", "gateway.failed-auth.per-address-per-second", "0.001",
                    "gateway.failed-auth.per-key-burst", "8", "gateway.failed-auth.per-key-per-second", "0.001",
                    "quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                    // Raw sockets only here: the SDKs keep idle connections 10 s, so the default profile's timeout stays above that.
                    "quarkus.http.idle-timeout", "3s", "gateway.outcome-timeout", "1s");
        }
    }

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Inject
    Directory directory;

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    @Test
    void anAddressThatKeepsFailingIsThrottledEvenWithAGoodSignature() throws Exception {
        String address = "203.0.113.7";
        for (int i = 0; i < 5; i++) {
            assertEquals("SignatureDoesNotMatch", code(request(World.B_DEV_KEY, "wrong-secret", address)));
        }
        RawHttp.Answer blocked = request(World.B_DEV_KEY, World.B_DEV_KEY.secret(), address);
        assertEquals("Throttling.User", code(blocked), blocked.raw());
        assertTrue(blocked.raw().toLowerCase().contains("x-acs-retry-after"), blocked.raw());

        // Another address with the same key is not blocked (the key has 3 failures left).
        assertEquals("InvalidParameter", code(request(World.B_DEV_KEY, World.B_DEV_KEY.secret(), "203.0.113.8")),
                "authenticated, then refused for its bad TaskId");
    }

    @Test
    void aKeyThatKeepsFailingIsThrottledFromEveryAddress() throws Exception {
        for (int i = 0; i < 8; i++) {
            assertEquals("SignatureDoesNotMatch", code(request(World.C_KEY, "wrong-secret", "198.51.100." + i)));
        }
        assertEquals("Throttling.User", code(request(World.C_KEY, World.C_KEY.secret(), "198.51.100.200")));
        assertEquals("InvalidParameter", code(request(World.A_KEY, World.A_KEY.secret(), "198.51.100.200")), "another key is unaffected");
    }

    @Test
    void successfulAuthenticationsNeverCount() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals("InvalidParameter", code(request(World.B_VISITOR_KEY, World.B_VISITOR_KEY.secret(), "192.0.2.10")));
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(15_000);
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the gateway kept a silent connection open for 15 s");
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read);
            assertTrue(millis >= 2_500 && millis < 8_000, "closed after " + millis + " ms; this profile's idle timeout is 3 s");
        }
    }

    private static String code(RawHttp.Answer answer) {
        return answer.json() == null ? answer.raw() : answer.json().path("Code").asText();
    }

    /** A V1 trigger signed with {@code secret} whose TaskId is not a number: authenticated requests end in InvalidParameter. */
    private static RawHttp.Answer request(World.Key key, String secret, String address) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", UUID.randomUUID().toString(), "AccessKeyId", key.id(), "Timestamp", ISO.format(Instant.now()),
                "TaskId", "not-a-number"));
        params.put("TriggerTime", String.valueOf(time(0)));
        return RawHttp.send(port(), "GET", "/?" + TestSigner.v1Query(params, secret), Map.of("X-Forwarded-For", address), new byte[0]);
    }
}
