package dev.triggerlayer.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a test JVM gets its servers. Given servers win, then Docker (Testcontainers, the
 * usual developer-laptop path), then the embedded servers that need nothing installed.
 * {@code -Dtriggerlayer.test.servers=embedded|testcontainers} forces a mode.
 */
enum ServerMode {
    EXTERNAL, TESTCONTAINERS, EMBEDDED;

    static ServerMode choose(String externalValue) {
        if (externalValue != null && !externalValue.isBlank()) {
            return EXTERNAL;
        }
        String forced = System.getProperty("triggerlayer.test.servers", System.getenv("TRIGGERLAYER_TEST_SERVERS"));
        if (forced != null && !forced.isBlank()) {
            return ServerMode.valueOf(forced.trim().toUpperCase());
        }
        return dockerReachable() ? TESTCONTAINERS : EMBEDDED;
    }

    private static boolean dockerReachable() {
        // Asking Testcontainers directly probes for several seconds when there is no engine;
        // only ask when something suggests an engine exists.
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hint) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static String env(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value;
    }
}
