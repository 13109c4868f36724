package dev.triggerlayer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.testsupport.SharedServers;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system as the one-command run starts it: the four packaged services as separate
 * processes on real PostgreSQL and Kafka, with the registry's demo tenants. Ports are free ones,
 * so a running {@code ./run-local.sh} does not disturb the test.
 */
final class TriggerLayer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path root = repositoryRoot();
    final Path work = root.resolve("e2e-tests/target/e2e");
    final String token = secret(24);
    final String kafka;
    final int registry, scheduler, gateway, publisher;
    private final String feedKey = secret(32);
    private final List<Process> processes = new ArrayList<>();

    TriggerLayer() throws Exception {
        Files.createDirectories(work.resolve("logs"));
        SharedServers.Postgres pg = SharedServers.postgres();
        kafka = SharedServers.kafka();
        registry = freePort();
        scheduler = freePort();
        gateway = freePort();
        publisher = freePort();
        Map<String, String> common = new LinkedHashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(), "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.username", pg.username(), "quarkus.datasource.password", pg.password(),
                "kafka.bootstrap.servers", kafka));
        start("tenant-registry", registry, common, Map.of("registry.admin.token", token,
                "registry.at-rest.active", "k1", "registry.at-rest.keys.k1", secret(32),
                "registry.feed.active", "f1", "registry.feed.keys.f1", feedKey,
                "registry.demo.enabled", "true", "registry.demo.credentials-file", work.resolve("demo-credentials.env").toString()));
        start("scheduler-service", scheduler, common, Map.of("scheduler.admin.token", token,
                "scheduler.runner.work-dir", work.resolve("runs").toString(), "scheduler.runner.replica-id", "e2e-scheduler"));
        start("trigger-gateway", gateway, common, Map.of("gateway.scheduler.url", "http://127.0.0.1:" + scheduler,
                "gateway.scheduler.token", token, "gateway.registry-feed.keys.f1", feedKey, "gateway.host-id", "127.0.0.1:" + gateway));
        start("event-publisher", publisher, common, Map.of("publisher.admin.token", token,
                "publisher.at-rest.active", "k1", "publisher.at-rest.keys.k1", secret(32)));
        Map<String, Integer> services = new LinkedHashMap<>();
        services.put("tenant-registry", registry);
        services.put("scheduler-service", scheduler);
        services.put("trigger-gateway", gateway);
        services.put("event-publisher", publisher);
        for (Map.Entry<String, Integer> service : services.entrySet()) {
            try {
                awaitReady(service.getValue());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(service.getKey() + " was not ready in time\n" + diagnostics(services), e);
            }
        }
    }

    /** What each service says about its readiness, and the end of its log, for a start that hung. */
    private String diagnostics(Map<String, Integer> services) {
        StringBuilder out = new StringBuilder();
        services.forEach((service, port) -> {
            out.append("== ").append(service).append(" readiness: ");
            try {
                out.append(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException e) {
                out.append(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.append(e);
            }
            out.append("\n-- last lines of its log:\n");
            try {
                List<String> lines = Files.readAllLines(work.resolve("logs").resolve(service + ".log"));
                lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append(e).append('\n');
            }
        });
        return out.toString();
    }

    /** The demo AccessKeys the registry wrote (TENANT_A_ACCESS_KEY_ID, …). */
    Properties credentials() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(work.resolve("demo-credentials.env"))) {
            p.load(in);
        }
        return p;
    }

    String endpoint() {
        return "http://127.0.0.1:" + gateway;
    }

    JsonNode call(String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("X-Operator", "e2e").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, method + " " + path + " -> " + response.statusCode() + " " + response.body());
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private void start(String service, int port, Map<String, String> common, Map<String, String> own) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + port));
        common.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        own.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar").toString()));
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(new File(work.resolve("logs").resolve(service + ".log").toString())).start());
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(180)).until(() -> {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a service exited with " + p.exitValue() + "; see " + work.resolve("logs"));
                }
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("contracts")) && Files.isRegularFile(dir.resolve("run-local.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the repository root is not above " + Path.of("").toAbsolutePath());
    }

    private static String secret(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return bytes == 32 ? Base64.getEncoder().encodeToString(b) : Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
