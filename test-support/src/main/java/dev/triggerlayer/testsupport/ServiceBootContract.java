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
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", "Kafka connection health check"));
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

    /** A URL of the management interface ({@code health/ready}, {@code metrics}). */
    protected String management(String path) {
        String base = management.toString();
        return (base.endsWith("/") ? base : base + "/") + path;
    }
}
