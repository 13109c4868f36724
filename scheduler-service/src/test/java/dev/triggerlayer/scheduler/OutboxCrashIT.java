package dev.triggerlayer.scheduler;

import dev.triggerlayer.testsupport.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills the packaged scheduler (SIGKILL) after state changes committed but before its outbox relay
 * published them, restarts it, and checks that every change reaches Kafka with the id it was
 * given in the outbox: none lost, duplicates only with the same id.
 */
class OutboxCrashIT {

    private static final String TOKEN = "crash-test-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private Process scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.destroyForcibly();
        }
    }

    @Test
    void changesCommittedBeforeACrashArePublishedAfterTheRestart() throws Exception {
        SharedServers.Postgres pg = SharedServers.postgres();
        String kafka = SharedServers.kafka();

        // 1. A scheduler whose relay is asleep: it commits changes and leaves them in the outbox.
        int port = freePort();
        scheduler = start(pg, kafka, port, Map.of("scheduler.outbox.listen", "false", "scheduler.outbox.poll-interval", "1h"));
        long workspace = 770001, node = 770002;
        post(port, "/api/v1/workflows", "{\"id\":770000,\"tenantId\":1,\"workspaceId\":" + workspace + ",\"env\":\"Prod\",\"name\":\"crash\","
                + "\"owner\":\"it\",\"timeZone\":\"UTC\",\"nodes\":[{\"id\":" + node + ",\"name\":\"every10\",\"type\":\"SHELL\","
                + "\"script\":\"true\",\"cron\":\"00 00/10 * * * ?\",\"instanceGeneration\":\"IMMEDIATE\"}]}");
        post(port, "/api/v1/workflows/770000/deploy", "");

        Map<String, String> pending = outbox(pg);
        assertTrue(pending.size() > 100, "changes waiting in the outbox: " + pending.size());

        // 2. Crash: no shutdown hook, no flush.
        scheduler.destroyForcibly().waitFor();

        // 3. Restart normally; the relay publishes what the dead process left behind.
        scheduler = start(pg, kafka, port, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox(pg).isEmpty());

        Map<String, Set<String>> idsByTopic = new HashMap<>();
        for (String topic : List.of("scheduler.instance-changes", "scheduler.nodes", "scheduler.dag-changes", "scheduler.instance-operations")) {
            try (TopicReader reader = new TopicReader(kafka, topic)) {
                Set<String> ids = new HashSet<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    for (ConsumerRecord<String, String> r : reader.poll()) {
                        ids.add(new String(r.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8));
                    }
                    return pending.entrySet().stream().filter(e -> e.getValue().equals(topic)).allMatch(e -> ids.contains(e.getKey()));
                });
                idsByTopic.put(topic, ids);
            }
        }
        long published = pending.keySet().stream().filter(id -> idsByTopic.values().stream().anyMatch(s -> s.contains(id))).count();
        assertEquals(pending.size(), published, "every change committed before the crash was published with its id");
    }

    private Process start(SharedServers.Postgres pg, String kafka, int port, Map<String, String> extra) throws Exception {
        int management = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Dquarkus.datasource.jdbc.url=" + pg.jdbcUrl(),
                "-Dquarkus.datasource.reactive.url=" + pg.reactiveUrl(),
                "-Dquarkus.datasource.username=" + pg.username(),
                "-Dkafka.bootstrap.servers=" + kafka));
        extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Secrets go through the environment, never the command line (readable by anyone with ps).
        pb.environment().put("SCHEDULER_ADMIN_TOKEN", TOKEN);
        pb.environment().put("DB_PASSWORD", pg.password());
        Process p = pb.redirectErrorStream(true)
                .redirectOutput(new File("target/crash-it-scheduler-" + System.nanoTime() + ".log")).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("scheduler exited with " + p.exitValue());
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return p;
    }

    private void post(int port, String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 300, path + " -> " + r.statusCode() + " " + r.body());
    }

    /** event id → topic of every row still in the outbox. */
    private static Map<String, String> outbox(SharedServers.Postgres pg) throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select event_id, topic from scheduler.outbox")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
