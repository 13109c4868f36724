package dev.triggerlayer.testsupport;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tests print little: the embedded servers' and the Kafka clients' INFO lines (thousands per
 * module) are turned down to WARN before the servers start. {@code TRIGGERLAYER_TEST_LOG=INFO}
 * (or any JUL level) brings them back. The services' test profiles apply the same switch to
 * their own Kafka clients ({@code %test.quarkus.log.category...} in application.properties).
 */
public final class TestLogging {

    /** The loggers of the broker, its storage, the Kafka clients and the embedded PostgreSQL. */
    public static final List<String> NOISY = List.of("kafka", "org.apache.kafka", "state.change.logger", "io.zonky", "org.testcontainers");
    // Strong references: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final List<Logger> HELD = NOISY.stream().map(Logger::getLogger).toList();

    private TestLogging() {
    }

    public static void quiet() {
        Level level = level();
        HELD.forEach(l -> l.setLevel(level));
    }

    private static Level level() {
        String wanted = ServerMode.env("TRIGGERLAYER_TEST_LOG");
        if (wanted == null) {
            return Level.WARNING;
        }
        try {
            return Level.parse(wanted.equalsIgnoreCase("WARN") ? "WARNING" : wanted.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }
}
