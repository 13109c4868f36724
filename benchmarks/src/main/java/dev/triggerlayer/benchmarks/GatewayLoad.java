package dev.triggerlayer.benchmarks;

import dev.triggerlayer.gateway.signature.TestSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator: the same closed-loop client (fixed concurrency, HTTP/1.1) against the bare
 * endpoint and against the gateway with signed TriggerSchedulerTaskInstance requests, each
 * pre-signed with its own nonce before timing starts. Prints one table, writes JSON.
 *
 * <p>Arguments: gatewayUrl bareUrl accessKeyId secret taskId triggerTimeMs requests concurrency jsonOut
 */
public final class GatewayLoad {

    private static final int WARMUP_ROUNDS = 3;

    record Result(String name, int requests, int ok, double seconds, double rps, double p50ms, double p99ms) {
    }

    public static void main(String[] a) throws Exception {
        String gateway = a[0], bare = a[1], ak = a[2], sk = a[3], taskId = a[4], triggerTime = a[5];
        int requests = Integer.parseInt(a[6]), concurrency = Integer.parseInt(a[7]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        List<URI> bareTargets = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            bareTargets.add(URI.create(bare));
        }
        List<URI> signed = new ArrayList<>();
        DateTimeFormatter ts = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
        int warmup = WARMUP_ROUNDS * (requests / 10);
        for (int i = 0; i < requests + warmup; i++) {
            Map<String, String> p = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                    "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                    "SignatureNonce", UUID.randomUUID().toString(), "AccessKeyId", ak, "Timestamp", ts.format(Instant.now()),
                    "TaskId", taskId, "EnvType", "Prod"));
            p.put("TriggerTime", triggerTime);
            signed.add(URI.create(gateway + "/?" + TestSigner.v1Query(p, sk)));
        }
        // Warm both up (JIT, connections, caches) before measuring, in rounds of a tenth of the
        // requests each: with one round the JIT compilers of the gateway and the scheduler still
        // took about a third of their CPU during the measurement, on a machine whose 2 cores the
        // load generator shares.
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            Result b = run(http, "warm-up bare", bareTargets.subList(0, requests / 10), concurrency);
            Result g = run(http, "warm-up gateway", signed.subList(requests + round * (requests / 10), requests + (round + 1) * (requests / 10)), concurrency);
            System.out.printf(Locale.ROOT, "warm-up round %d: bare %.0f req/s, gateway %.0f req/s%n", round + 1, b.rps(), g.rps());
        }

        Result bareResult = run(http, "bare Quarkus endpoint", bareTargets, concurrency);
        Result gatewayResult = run(http, "gateway, signed trigger", signed.subList(0, requests), concurrency);

        String table = String.format(Locale.ROOT, "%-26s %9s %9s %10s %9s %9s%n", "target", "requests", "ok", "req/s", "p50 ms", "p99 ms")
                + line(bareResult) + line(gatewayResult)
                + String.format(Locale.ROOT, "ratio gateway/bare: throughput %.2f, p50 %.2fx, p99 %.2fx (concurrency %d)%n",
                gatewayResult.rps() / bareResult.rps(), gatewayResult.p50ms() / bareResult.p50ms(),
                gatewayResult.p99ms() / bareResult.p99ms(), concurrency);
        System.out.print(table);
        if (a.length > 8) {
            Files.writeString(Path.of(a[8]), String.format(Locale.ROOT,
                    "{\"concurrency\":%d,\"bare\":%s,\"gateway\":%s,\"throughputRatio\":%.3f}%n", concurrency,
                    json(bareResult), json(gatewayResult), gatewayResult.rps() / bareResult.rps()));
        }
    }

    private static Result run(HttpClient http, String name, List<URI> targets, int concurrency) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        long[] latencies = new long[targets.size()];
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            slots.acquire();
            int index = i;
            long sent = System.nanoTime();
            all.add(http.sendAsync(HttpRequest.newBuilder(targets.get(i)).timeout(Duration.ofSeconds(30)).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        latencies[index] = System.nanoTime() - sent;
                        if (e == null && r.statusCode() == 200 && r.body().contains("\"Success\":true")) {
                            ok.incrementAndGet();
                        }
                        slots.release();
                    }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(name, targets.size(), ok.get(), seconds, targets.size() / seconds,
                latencies[(int) (latencies.length * 0.50)] / 1e6, latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6);
    }

    private static String line(Result r) {
        return String.format(Locale.ROOT, "%-26s %9d %9d %10.0f %9.2f %9.2f%n", r.name(), r.requests(), r.ok(), r.rps(), r.p50ms(), r.p99ms());
    }

    private static String json(Result r) {
        return String.format(Locale.ROOT, "{\"requests\":%d,\"ok\":%d,\"seconds\":%.3f,\"rps\":%.1f,\"p50ms\":%.3f,\"p99ms\":%.3f}",
                r.requests(), r.ok(), r.seconds(), r.rps(), r.p50ms(), r.p99ms());
    }
}
