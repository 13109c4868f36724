package dev.triggerlayer.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a Quarkus test a real PostgreSQL (both the JDBC datasource Flyway uses and the
 * reactive one the service uses). Started once per test JVM; see {@link SharedServers}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedServers.Postgres pg = SharedServers.postgres();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // Kept for the next application start in this JVM; stopped at JVM exit.
    }
}
