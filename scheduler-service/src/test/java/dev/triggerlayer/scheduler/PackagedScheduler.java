package dev.triggerlayer.scheduler;

import dev.triggerlayer.testsupport.SharedServers;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged scheduler (target/quarkus-app) as a separate process, for the crash and replica tests. */
final class PackagedScheduler implements AutoCloseable {

    static final String TOKEN = "packaged-test-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final int port;
    final Process process;

    private PackagedScheduler(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts one replica on a free port with the shared servers and {@code extra} system properties; waits until ready. */
    static PackagedScheduler start(String name, Map<String, String> extra) throws Exception {
        SharedServers.Postgres pg = SharedServers.postgres();
        int port = freePort();
        int management = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management, "-Dquarkus.datasource.jdbc.url=" + pg.jdbcUrl(),
                "-Dquarkus.datasource.reactive.url=" + pg.reactiveUrl(), "-Dquarkus.datasource.username=" + pg.username(), "-Dkafka.bootstrap.servers=" + SharedServers.kafka()));
        extra.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Secrets go through the environment, never the command line (readable by anyone with ps).
        pb.environment().put("SCHEDULER_ADMIN_TOKEN", TOKEN);
        pb.environment().put("DB_PASSWORD", pg.password());
        Process p = pb.redirectErrorStream(true).redirectOutput(new File("target/" + name + "-" + port + ".log")).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return new PackagedScheduler(port, p);
    }

    void post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 300, path + " -> " + r.statusCode() + " " + r.body());
    }

    /** SIGKILL: no shutdown hook runs. */
    void crash() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    static long count(String sql) throws Exception {
        SharedServers.Postgres pg = SharedServers.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
