package dev.triggerlayer.e2e;

import dev.triggerlayer.testsupport.PackagedService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged services as the one-command run starts them: no secret they were given appears
 * on a command line or in an environment (both readable through /proc), or in their logs; it sits
 * in a configuration file only its owner can read.
 */
class SecretsIT {

    static TriggerLayer system;

    @BeforeAll
    static void start() throws Exception {
        system = TriggerLayer.shared();
    }

    @Test
    void noSecretIsOnACommandLineInAnEnvironmentOrInALog() throws Exception {
        assertTrue(system.secrets.size() >= 5, "the system was given its secrets: " + system.secrets.size());
        for (PackagedService service : system.services.values()) {
            String cmdline = read(Path.of("/proc/" + service.pid() + "/cmdline"));
            String environ = read(Path.of("/proc/" + service.pid() + "/environ"));
            String log = Files.readString(service.log(), StandardCharsets.UTF_8);
            assertFalse(cmdline.isEmpty(), service.name() + " runs");
            for (String secret : system.secrets) {
                assertFalse(cmdline.contains(secret), service.name() + ": a secret on the command line");
                assertFalse(environ.contains(secret), service.name() + ": a secret in the environment");
                assertFalse(log.contains(secret), service.name() + ": a secret in the log");
            }
        }
    }

    @Test
    void theConfigurationFilesHoldingSecretsAreOwnerOnly() throws Exception {
        for (PackagedService service : system.services.values()) {
            Path file = system.work.resolve(service.name() + ".properties");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
    }

    private static String read(Path proc) throws Exception {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
    }
}
