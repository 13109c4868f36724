package dev.triggerlayer.testsupport;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service promises once it booted: readiness reflects its real PostgreSQL and Kafka,
 * its migrations ran in its own schema, the broker round-trips a record, and health, metrics and
 * the OpenAPI document are served on the management port, not on the port callers use. A
 * service's test extends this and is annotated {@code @QuarkusTest}.
 */
public abstract class ServiceBootContract {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** The PostgreSQL schema the service owns. */
    protected abstract String schema();

    @Test
    void readinessReportsPostgresAndKafka() {
        given().baseUri(management("health/ready")).when().get()
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", "Kafka connection health check",
                        "supervised loops"));
    }

    @Test
    void migrationsWereAppliedToItsOwnSchema() {
        Pool pool = Arc.container().instance(Pool.class).get();
        var row = pool.query("select count(*) as applied, current_schema() as schema from flyway_schema_history where success")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertTrue(row.getLong("applied") >= 1, "at least one migration applied");
        assertEquals(schema(), row.getString("schema"));
    }

    @Test
    void brokerRoundTripsARecord() {
        String topic = "boot-probe-" + UUID.randomUUID();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaCompanion companion = new KafkaCompanion(bootstrap)) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "v")).awaitCompletion();
            var records = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion(Duration.ofSeconds(30));
            assertEquals("v", records.getFirstRecord().value());
        }
    }

    @Test
    void metricsAndOpenApiAreServedOnTheManagementPortOnly() {
        given().baseUri(management("metrics")).when().get().then().statusCode(200);
        given().baseUri(management("openapi")).queryParam("format", "json").when().get().then().statusCode(200).body("openapi", startsWith("3."));
        for (String path : new String[] {"/q/metrics", "/q/health/ready", "/q/openapi", "/q/swagger-ui"}) {
            int status = given().when().get(path).then().extract().statusCode();
            assertTrue(status == 404 || status == 401 || status == 405, path + " must not be served on the public port, got " + status);
        }
    }

    /**
     * Paths a caller without credentials must never get an answer from on the public port: an admin
     * collection (the service's own), and the management endpoints.
     */
    protected abstract List<String> protectedPaths();

    /**
     * Authorisation is bound to the resources, not to how a path is spelled: every spelling of a
     * protected path (doubled and dot segments, percent-encoded letters, other letter case, matrix
     * parameters, a trailing slash) is refused without a token, sent byte for byte on a socket so
     * no client normalises it first.
     */
    @Test
    void everySpellingOfAProtectedPathIsRefusedWithoutAToken() throws Exception {
        for (String path : protectedPaths()) {
            for (String spelling : spellings(path)) {
                // RestAssured knows the public test port Quarkus chose.
                String response = rawGet(io.restassured.RestAssured.port, spelling);
                String status = response.isEmpty() ? "(no answer)" : response.substring(9, Math.min(12, response.length()));
                assertTrue(status.startsWith("4"), spelling + " answered " + status + " without a token: " + response.lines().findFirst().orElse(""));
            }
        }
    }

    static List<String> spellings(String path) {
        String tail = path.substring(1);
        int slash = tail.indexOf('/');
        String first = slash < 0 ? tail : tail.substring(0, slash);
        String rest = slash < 0 ? "" : tail.substring(slash);
        String encodedFirst = "%" + Integer.toHexString(first.charAt(0)) + first.substring(1);
        return List.of(path, "/" + path, "/." + path, "/" + encodedFirst + rest, "/" + first.toUpperCase(java.util.Locale.ROOT) + rest,
                path + ";x", path + "/", "/" + first + "/." + rest, "/" + first + "/x/.." + rest, "/" + first + ";x" + rest);
    }

    private static String rawGet(int port, String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A URL of the management interface ({@code health/ready}, {@code metrics}). */
    protected String management(String path) {
        String base = management.toString();
        return (base.endsWith("/") ? base : base + "/") + path;
    }
}
