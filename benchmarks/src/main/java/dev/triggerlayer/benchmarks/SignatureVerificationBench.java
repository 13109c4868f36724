package dev.triggerlayer.benchmarks;

import dev.triggerlayer.gateway.signature.ParsedSignature;
import dev.triggerlayer.gateway.signature.SignatureVerifier;
import dev.triggerlayer.gateway.signature.SignedRequest;
import dev.triggerlayer.gateway.signature.TestSigner;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of verifying one signed TriggerSchedulerTaskInstance request (V1: parse, canonicalise,
 * HMAC-SHA1, constant-time compare), against the floor of one bare HMAC-SHA1 over a string of the
 * same length, measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignatureVerificationBench {

    private static final String SECRET = "benchSecret0123456789abcdefghij";
    private SignatureVerifier verifier;
    private SignedRequest request;
    private byte[] stringToSign;
    private Mac mac;

    @Setup
    public void setUp() throws Exception {
        Instant now = Instant.parse("2026-11-22T00:00:00Z");
        verifier = new SignatureVerifier(Clock.fixed(now, ZoneOffset.UTC));
        Map<String, String> params = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", "3f1c0e2a-9d7b-4c55-8a61-0d1f2e3c4b5a", "AccessKeyId", "LTAIbench000000000001",
                "Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(now),
                "TaskId", "4001", "EnvType", "Prod"));
        params.put("TriggerTime", "1795349100000");
        String query = TestSigner.v1Query(params, SECRET);
        request = SignedRequest.fromRaw("GET", "/", query, Map.of("host", "127.0.0.1:8080"), new byte[0]);
        stringToSign = TestSigner.v1StringToSign(params).getBytes(StandardCharsets.UTF_8);
        mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec((SECRET + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    }

    @Benchmark
    public ParsedSignature verifyV1() {
        ParsedSignature parsed = verifier.parse(request);
        verifier.verify(request, parsed, SECRET);
        return parsed;
    }

    @Benchmark
    public byte[] baselineHmacSha1() {
        return mac.doFinal(stringToSign);
    }
}
