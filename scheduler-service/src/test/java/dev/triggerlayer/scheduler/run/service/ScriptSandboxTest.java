package dev.triggerlayer.scheduler.run.service;

import dev.triggerlayer.scheduler.config.SchedulerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real child processes in the sandbox. Run as root (as CI does), scripts run as {@code nobody}:
 * they cannot read the scheduler's environment or files nor list the runs' parent, and with
 * {@code network=none} reach nothing. Run as another user, the sandbox does what it documents
 * for that case: scripts run as that user, and the settings that need root stop the start.
 */
class ScriptSandboxTest {

    private static final boolean ROOT = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    private Path base;

    @BeforeEach
    void base() throws IOException {
        // Under /tmp (searchable by everyone), as the service's default is.
        base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sandbox-test");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aScriptCannotReadTheSchedulerOrOtherRuns() throws Exception {
        ScriptSandbox sandbox = new ScriptSandbox(config(base.resolve("runs"), "host"));
        Path secret = base.resolve("scheduler.properties");
        Files.writeString(secret, "db.password=hunter2\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        String out = run(sandbox, sandbox.newRunDirectory(2, 1, String.join("\n",
                "echo uid=$(id -u)",
                "echo dir=$(stat -c '%a' .)",
                "cat /proc/$PPID/environ > /dev/null 2>&1 && echo environ=readable || echo environ=denied",
                "cat " + secret + " > /dev/null 2>&1 && echo file=readable || echo file=denied",
                "ls .. > /dev/null 2>&1 && echo parent=listable || echo parent=denied")));

        assertTrue(out.contains("dir=700"), out);
        if (ROOT) {
            assertTrue(out.contains("uid=65534"), "runs as nobody, never root: " + out);
            for (String denied : List.of("environ=denied", "file=denied", "parent=denied")) {
                assertTrue(out.contains(denied), denied + " in " + out);
            }
        } else {
            assertTrue(out.contains("uid=" + new com.sun.security.auth.module.UnixSystem().getUid()), "runs as the scheduler: " + out);
        }
    }

    @Test
    void withoutNetworkNothingIsReachableWhichTheHostNetworkReaches() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String probe = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + "' 2>/dev/null && echo reachable || echo unreachable";
            ScriptSandbox host = new ScriptSandbox(config(base.resolve("host-runs"), "host"));
            assertEquals("reachable", run(host, host.newRunDirectory(1, 1, probe)).trim(), "the control: the port is open");
            ScriptSandbox none = new ScriptSandbox(config(base.resolve("none-runs"), "none"));
            if (ROOT) {
                assertEquals("unreachable", run(none, none.newRunDirectory(1, 1, probe)).trim());
            } else {
                IllegalStateException refused = assertThrows(IllegalStateException.class, none::prepare);
                assertTrue(refused.getMessage().contains("network=none needs the scheduler to run as root"), refused.getMessage());
            }
        }
    }

    @Test
    void aWorkDirOthersCouldWriteOrASymlinkStopsTheStart() throws IOException {
        Path open = base.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IllegalStateException writable = assertThrows(IllegalStateException.class, () -> new ScriptSandbox(config(open, "host")).prepare());
        assertTrue(writable.getMessage().contains("writable by others"), writable.getMessage());

        Path link = base.resolve("link");
        Files.createSymbolicLink(link, open);
        IllegalStateException symlink = assertThrows(IllegalStateException.class, () -> new ScriptSandbox(config(link, "host")).prepare());
        assertTrue(symlink.getMessage().contains("symbolic link"), symlink.getMessage());
    }

    @Test
    void runDirectoriesAreNeverReused() throws IOException {
        ScriptSandbox sandbox = new ScriptSandbox(config(base.resolve("runs"), "host"));
        Path first = sandbox.newRunDirectory(7, 1, "true");
        Path second = sandbox.newRunDirectory(7, 1, "true");
        assertTrue(!first.equals(second), "the same instance and attempt get two directories");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
    }

    private static String run(ScriptSandbox sandbox, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(sandbox.command()).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
        return out;
    }

    /** The runner's defaults with this work dir and network. */
    private static SchedulerConfig config(Path workDir, String network) {
        Map<String, Object> values = new HashMap<>(Map.of("shellEnabled", true, "workDir", workDir.toString(), "network", network,
                "runAs", Optional.empty(), "shell", "/bin/sh", "keepWorkDirs", false, "outputLimit", 4096,
                "defaultTimeout", Duration.ofMinutes(1)));
        // A proxy, not a class: the interface's validation constraints would make a class of it an interceptor target.
        SchedulerConfig.Runner runner = (SchedulerConfig.Runner) Proxy.newProxyInstance(SchedulerConfig.Runner.class.getClassLoader(),
                new Class<?>[] {SchedulerConfig.Runner.class}, (proxy, method, args) -> values.get(method.getName()));
        return (SchedulerConfig) Proxy.newProxyInstance(SchedulerConfig.class.getClassLoader(), new Class<?>[] {SchedulerConfig.class},
                (proxy, method, args) -> method.getName().equals("runner") ? runner : null);
    }
}
