package dev.triggerlayer.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server playing the gateway: it verifies V1 and V3 signatures on its own, following
 * docs/signing.md (no code shared with the gateway or the SDK), records what arrived and answers
 * what the test chose. A request whose signature does not verify gets the gateway's
 * SignatureDoesNotMatch, whatever the test chose.
 */
final class GatewayStandIn implements AutoCloseable {

    /** What arrived: the scheme, whether its signature verified, and the merged parameters (Action and Version included). */
    record Received(String method, String scheme, boolean verified, String accessKeyId, Map<String, String> params,
                    Map<String, String> headers, String failure) {
    }

    record Answer(int status, String contentType, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }
    }

    static final String REQUEST_ID = "9C3A5D1E-0000-4000-8000-00000000CAFE";
    static final Answer TRIGGERED = Answer.json(200,
            "{\"RequestId\":\"" + REQUEST_ID + "\",\"Success\":true,\"TriggerOutcome\":\"Triggered\",\"TaskInstanceId\":555}");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, String> secrets;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> answer = r -> TRIGGERED;
    private volatile CountDownLatch hold;

    GatewayStandIn(Map<String, String> secrets) throws IOException {
        this.secrets = secrets;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void answer(Answer a) {
        answer = r -> a;
    }

    /** Keeps every request unanswered until {@link #release()}. */
    void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    void release() {
        if (hold != null) {
            hold.countDown();
        }
    }

    Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + received);
        }
        return received.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received r = verify(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            received.add(r);
            CountDownLatch h = hold;
            if (h != null) {
                h.await(30, TimeUnit.SECONDS);
            }
            Answer a = r.verified() ? answer.apply(r) : Answer.json(400, "{\"RequestId\":\"" + REQUEST_ID
                    + "\",\"HostId\":\"stand-in\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"" + r.failure() + "\"}");
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", a.contentType());
            exchange.getResponseHeaders().add("x-acs-request-id", REQUEST_ID);
            exchange.sendResponseHeaders(a.status(), out.length);
            exchange.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (the timeout test): nothing to answer.
        }
    }

    private Received verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Map<String, String> params = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        decodeInto(rawQuery, params, problems);
        String contentType = lower.getOrDefault("content-type", "");
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            decodeInto(new String(body, StandardCharsets.UTF_8), params, problems);
        }
        String authorization = lower.get("authorization");
        if (authorization != null && authorization.startsWith("ACS3-HMAC-SHA256 ")) {
            return v3(method, rawPath, rawQuery, headers, lower, body, params, problems);
        }
        return v1(method, lower, params, problems);
    }

    /** docs/signing.md §3.2-3.3. */
    private Received v1(String method, Map<String, String> headers, Map<String, String> params, List<String> problems) {
        Map<String, String> signed = new TreeMap<>(params);
        String signature = signed.remove("Signature");
        String keyId = params.get("AccessKeyId");
        require(problems, signature != null, "no Signature");
        require(problems, "HMAC-SHA1".equals(params.get("SignatureMethod")), "SignatureMethod is not HMAC-SHA1");
        require(problems, "1.0".equals(params.get("SignatureVersion")), "SignatureVersion is not 1.0");
        require(problems, params.get("SignatureNonce") != null, "no SignatureNonce");
        require(problems, fresh(params.get("Timestamp")), "Timestamp missing or outside 15 minutes");
        String secret = keyId == null ? null : secrets.get(keyId);
        require(problems, secret != null, "unknown AccessKeyId " + keyId);
        if (problems.isEmpty()) {
            StringJoiner canonical = new StringJoiner("&");
            signed.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    canonical.add(percent(k) + "=" + percent(v));
                }
            });
            String stringToSign = method + "&" + percent("/") + "&" + percent(canonical.toString());
            String expected = Base64.getEncoder().encodeToString(hmac("HmacSHA1", (secret + "&").getBytes(StandardCharsets.UTF_8), stringToSign));
            require(problems, MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8)),
                    "V1 signature does not match");
        }
        return new Received(method, "V1", problems.isEmpty(), keyId, params, headers, String.join("; ", problems));
    }

    /** docs/signing.md §4.2-4.4. */
    private Received v3(String method, String rawPath, String rawQuery, Headers raw, Map<String, String> headers, byte[] body,
                        Map<String, String> params, List<String> problems) {
        Map<String, String> auth = new HashMap<>();
        for (String part : headers.get("authorization").substring("ACS3-HMAC-SHA256 ".length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                auth.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        String keyId = auth.get("Credential");
        String secret = keyId == null ? null : secrets.get(keyId);
        require(problems, secret != null, "unknown Credential " + keyId);
        String payloadHash = HexFormat.of().formatHex(sha256(body));
        require(problems, payloadHash.equals(headers.get("x-acs-content-sha256")), "x-acs-content-sha256 is not the body's hash");
        String signedHeaders = auth.getOrDefault("SignedHeaders", "");
        List<String> names = List.of(signedHeaders.split(";"));
        for (String needed : List.of("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")) {
            require(problems, names.contains(needed), needed + " is not signed");
        }
        require(problems, fresh(headers.get("x-acs-date")), "x-acs-date missing or outside 15 minutes");
        if (problems.isEmpty()) {
            StringBuilder canonicalHeaders = new StringBuilder();
            for (String name : names) {
                List<String> values = raw.get(name);
                require(problems, values != null && values.size() == 1, "signed header " + name + " absent or repeated");
                canonicalHeaders.append(name).append(':').append(values == null ? "" : values.get(0).trim()).append('\n');
            }
            Map<String, String> query = new TreeMap<>();
            decodeInto(rawQuery, query, problems);
            StringJoiner canonicalQuery = new StringJoiner("&");
            query.forEach((k, v) -> canonicalQuery.add(percent(k) + "=" + percent(v)));
            String canonicalRequest = method + "\n" + (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) + "\n" + canonicalQuery + "\n"
                    + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
            String stringToSign = "ACS3-HMAC-SHA256\n" + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            String expected = HexFormat.of().formatHex(hmac("HmacSHA256", secret.getBytes(StandardCharsets.UTF_8), stringToSign));
            require(problems, MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    auth.getOrDefault("Signature", "").getBytes(StandardCharsets.UTF_8)), "V3 signature does not match");
        }
        Map<String, String> all = new TreeMap<>(params);
        if (headers.containsKey("x-acs-action")) {
            all.put("Action", headers.get("x-acs-action"));
        }
        if (headers.containsKey("x-acs-version")) {
            all.put("Version", headers.get("x-acs-version"));
        }
        return new Received(method, "V3", problems.isEmpty(), keyId, all, headers, String.join("; ", problems));
    }

    private static void decodeInto(String raw, Map<String, String> into, List<String> problems) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String item : raw.split("&")) {
            int eq = item.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? item : item.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(item.substring(eq + 1), StandardCharsets.UTF_8);
            if (into.put(k, v) != null) {
                problems.add(k + " given twice");
            }
        }
    }

    /** RFC 3986 unreserved characters stay, every other UTF-8 byte becomes %XX (docs/signing.md §2.1). */
    static String percent(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static boolean fresh(String timestamp) {
        if (timestamp == null) {
            return false;
        }
        try {
            Instant t = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).parse(timestamp, Instant::from);
            return Duration.between(t, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void require(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
