package dev.triggerlayer.registry;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service boots against the real servers and its probes, metrics and API docs answer. */
@QuarkusTest
class ServiceBootTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void readinessReportsPostgresAndKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", "Kafka connection health check"));
    }

    @Test
    void migrationsWereAppliedToItsOwnSchema() {
        var row = pool.query("select count(*) as applied, current_schema() as schema from flyway_schema_history where success")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertTrue(row.getLong("applied") >= 1, "at least one migration applied");
        assertEquals("registry", row.getString("schema"));
    }

    @Test
    void brokerRoundTripsARecord() {
        String topic = "boot-probe-" + UUID.randomUUID();
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "v")).awaitCompletion();
            var records = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion(Duration.ofSeconds(30));
            assertEquals("v", records.getFirstRecord().value());
        }
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }
}
