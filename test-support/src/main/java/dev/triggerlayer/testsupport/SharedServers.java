package dev.triggerlayer.testsupport;

import dev.triggerlayer.kit.kafka.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The servers of one test JVM: started on first use, stopped when the JVM exits, so every
 * Quarkus application restart (test profiles) reuses them.
 */
public final class SharedServers {

    /** Connection details of a PostgreSQL database. */
    public record Postgres(String jdbcUrl, String username, String password) {
        /** The same database as a Vert.x reactive client URL. */
        public String reactiveUrl() {
            return jdbcUrl.substring("jdbc:".length());
        }
    }

    private static Postgres postgres;
    private static String kafka;

    static {
        TestLogging.quiet();
    }

    private SharedServers() {
    }

    /** A database named {@code triggerlayer} on a real PostgreSQL server. */
    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = startPostgres();
        }
        return postgres;
    }

    /**
     * Bootstrap servers of a real Kafka broker, with every topic of {@code contracts/topics.json}
     * created as its owner would: a test of one service plays the owners of the topics it reads.
     */
    public static synchronized String kafka() {
        if (kafka == null) {
            kafka = startKafka();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
                TopicCatalog.ensure(admin, TopicCatalog.get().all(), Optional.empty());
            }
        }
        return kafka;
    }

    private static Postgres startPostgres() {
        String external = ServerMode.env("TRIGGERLAYER_TEST_PG_URL");
        switch (ServerMode.choose(external)) {
            case EXTERNAL:
                return new Postgres(external,
                        orDefault(ServerMode.env("TRIGGERLAYER_TEST_PG_USER"), "postgres"),
                        orDefault(ServerMode.env("TRIGGERLAYER_TEST_PG_PASSWORD"), "postgres"));
            case TESTCONTAINERS:
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine")
                        .withDatabaseName("triggerlayer");
                container.start();
                onExit(container::stop);
                return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            default:
                return unchecked(() -> {
                    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(0, null);
                    onExit(() -> unchecked(() -> {
                        server.close();
                        return null;
                    }));
                    return new Postgres(server.createDatabase("triggerlayer"),
                            EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
                });
        }
    }

    private static String startKafka() {
        String external = ServerMode.env("KAFKA_BOOTSTRAP_SERVERS");
        switch (ServerMode.choose(external)) {
            case EXTERNAL:
                return external;
            case TESTCONTAINERS:
                KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2");
                container.start();
                onExit(container::stop);
                return container.getBootstrapServers();
            default:
                return unchecked(() -> {
                    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
                    onExit(broker::close);
                    return broker.bootstrapServers();
                });
        }
    }

    private interface Checked<T> {
        T get() throws IOException, SQLException;
    }

    private static <T> T unchecked(Checked<T> action) {
        try {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void onExit(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-test-server"));
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

}
