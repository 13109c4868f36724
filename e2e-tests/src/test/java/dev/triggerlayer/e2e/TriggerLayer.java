package dev.triggerlayer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.testsupport.PackagedService;
import dev.triggerlayer.testsupport.SharedServers;

import java.io.IOException;
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
    final Path work;
    /**
     * Files the tests share with shell scripts (FIFOs, the command-line trigger, records of runs):
     * under /tmp, because when the suite runs as root the scripts run as an unprivileged user,
     * who may not reach into the repository's directory.
     */
    final Path scriptFiles;
    /** Every secret this system was given (operator tokens, key rings), for the tests that look for leaks. */
    final List<String> secrets = new ArrayList<>();
    /** The region the demo tenants are homed in (the registry's demo region). */
    static final String HOME_REGION = "cn-hangzhou";

    final String token = secret(24);
    final String kafka;
    final int registry, scheduler, gateway, publisher;
    final Map<String, PackagedService> services = new LinkedHashMap<>();
    private Map<String, Map<String, String>> extra = Map.of();
    /** Where the services export their spans (OTLP over HTTP). */
    final OtlpCollector collector = new OtlpCollector();
    private final String feedKey = secret(32);
    private final String queryToken = secret(24);
    /** The registry's token on the scheduler (role extension-holds: workspace deletions wait for their checks). */
    private final String holdsToken = secret(24);

    private static TriggerLayer shared;

    /** The one system of this test JVM, started on first use and stopped when the JVM exits. */
    static synchronized TriggerLayer shared() throws Exception {
        if (shared == null) {
            shared = new TriggerLayer("e2e", SharedServers.kafka(), Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-e2e-system"));
        }
        return shared;
    }

    /**
     * A system of its own: its files under {@code e2e-tests/target/<name>}, its broker at
     * {@code kafka}, and {@code extra} settings per service (by service name) on top of the usual.
     */
    TriggerLayer(String name, String kafka, Map<String, Map<String, String>> extra) throws Exception {
        this.work = root.resolve("e2e-tests/target").resolve(name);
        this.kafka = kafka;
        this.extra = extra;
        Files.createDirectories(work.resolve("logs"));
        scriptFiles = Files.createTempDirectory("triggerlayer-e2e-shared");
        Files.setPosixFilePermissions(scriptFiles, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path cli = root.resolve("trigger-cli/target/trigger-cli-all.jar");
        if (Files.exists(cli)) {
            Files.copy(cli, scriptFiles.resolve("trigger-cli-all.jar"));
        }
        SharedServers.Postgres pg = SharedServers.postgres();
        Map<String, String> common = new LinkedHashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(), "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.username", pg.username(), "quarkus.datasource.password", pg.password(),
                "kafka.bootstrap.servers", kafka,
                // Every span is exported to the test's collector, quickly.
                "quarkus.otel.bsp.schedule.delay", "200ms"));
        registry = PackagedService.freePort();
        scheduler = PackagedService.freePort();
        gateway = PackagedService.freePort();
        publisher = PackagedService.freePort();
        add("tenant-registry", registry, common, Map.of("triggerlayer.operator.tokens.admin.secret", token,
                "registry.at-rest.active", "k1", "registry.at-rest.keys.k1", secret(32),
                "registry.feed.active", "f1", "registry.feed.keys.f1", feedKey,
                "registry.demo.enabled", "true", "registry.demo.credentials-file", work.resolve("demo-credentials.env").toString(),
                "registry.scheduler.url", "http://127.0.0.1:" + scheduler, "registry.scheduler.token", holdsToken));
        add("scheduler-service", scheduler, common, Map.of("triggerlayer.operator.tokens.admin.secret", token,
                "triggerlayer.operator.tokens.gateway.secret", queryToken, "triggerlayer.operator.tokens.registry.secret", holdsToken,
                "scheduler.runner.work-dir",
                System.getProperty("java.io.tmpdir") + "/triggerlayer-" + name + "-runs-" + ProcessHandle.current().pid(), "scheduler.runner.replica-id", "e2e-scheduler",
                // The demo tenants' home region: FederationIT's second region sends its triggers here.
                "scheduler.federation.region", HOME_REGION));
        add("trigger-gateway", gateway, common, Map.of("gateway.scheduler.url", "http://127.0.0.1:" + scheduler,
                "gateway.scheduler.token", queryToken, "gateway.registry-feed.keys.f1", feedKey, "gateway.host-id", "127.0.0.1:" + gateway,
                "gateway.outcome-timeout", "4s", "gateway.federation.region", HOME_REGION));
        add("event-publisher", publisher, common, Map.of("triggerlayer.operator.tokens.admin.secret", token,
                "publisher.at-rest.active", "k1", "publisher.at-rest.keys.k1", secret(32),
                // The suite's subscriber listens on 127.0.0.1; the rest of loopback stays refused.
                "publisher.delivery.allowed-private-targets", "127.0.0.1/32"));
        services.values().forEach(PackagedService::start);
        for (PackagedService service : services.values()) {
            try {
                service.awaitReady(Duration.ofSeconds(180));
            } catch (IllegalStateException e) {
                throw new AssertionError(service.name() + " was not ready in time\n" + diagnostics(), e);
            }
        }
    }

    private void add(String name, int port, Map<String, String> common, Map<String, String> own) {
        services.put(name, PackagedService.of(name, root.resolve(name), work).port(port).managementPort(0).config(common).config(own)
                .config(extra.getOrDefault(name, Map.of()))
                .environment("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint())
                .environment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf").build());
    }

    /** What each service says about its readiness, and the end of its log, for a start that hung. */
    private String diagnostics() {
        StringBuilder out = new StringBuilder();
        services.values().forEach(service -> out.append("== ").append(service.name()).append(" readiness: ").append(service.readiness())
                .append("\n-- last lines of its log:\n").append(service.logTail(25)).append('\n'));
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

    /** The registry feed's key (id {@code f1}), for another region's gateway. */
    String feedKey() {
        return feedKey;
    }

    /** The scheduler's read-only query token, for another region's gateway. */
    String queryToken() {
        return queryToken;
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

    /** The HTTP status of an admin API call (for answers that are not JSON, or refusals the test expects). */
    int status(String method, int port, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("X-Operator", "e2e")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A service's Prometheus metrics, from its management port. */
    String metrics(String service) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + services.get(service).healthPort() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200, service + " metrics -> " + r.statusCode());
        return r.body();
    }

    @Override
    public void close() {
        List<PackagedService> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(PackagedService::stop);
        collector.close();
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("contracts")) && Files.isRegularFile(dir.resolve("run-local.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the repository root is not above " + Path.of("").toAbsolutePath());
    }

    private String secret(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        String value = bytes == 32 ? Base64.getEncoder().encodeToString(b) : Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        secrets.add(value);
        return value;
    }
}
