package dev.triggerlayer.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code <module>/target/quarkus-app}) run as a separate process, as a user
 * runs it. Its configuration goes into a properties file readable by the owner only (mode 0600),
 * never onto the command line, where anyone could read a token or key with {@code ps}. The
 * process can be stopped, killed (SIGKILL), paused (SIGSTOP) and restarted with the same settings.
 */
public final class PackagedService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Path configFile;
    private final Path log;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final int port;
    private final int managementPort;
    private Process process;

    private PackagedService(String name, Path jar, Path configFile, Path log, List<String> jvmOptions,
                            Map<String, String> environment, int port, int managementPort) {
        this.name = name;
        this.jar = jar;
        this.configFile = configFile;
        this.log = log;
        this.jvmOptions = jvmOptions;
        this.environment = environment;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Configures a service of {@code moduleDir} whose files (config, log) go to {@code workDir}. */
    public static Builder of(String name, Path moduleDir, Path workDir) {
        return new Builder(name, moduleDir, workDir);
    }

    public static final class Builder {
        private final String name;
        private final Path moduleDir;
        private final Path workDir;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
        private int port;
        private int managementPort = -1;

        private Builder(String name, Path moduleDir, Path workDir) {
            this.name = name;
            this.moduleDir = moduleDir;
            this.workDir = workDir;
        }

        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        public Builder config(Map<String, String> values) {
            config.putAll(values);
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** The HTTP port (0 for a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The management port (health, metrics), if the service has a management interface (0 for a free one). */
        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        /** Writes the configuration file; the process starts with {@link PackagedService#start()}. */
        public PackagedService build() {
            try {
                Files.createDirectories(workDir.resolve("logs"));
                int http = port > 0 ? port : freePort();
                int management = managementPort < 0 ? -1 : managementPort > 0 ? managementPort : freePort();
                Properties props = new Properties();
                props.putAll(config);
                props.put("quarkus.http.port", String.valueOf(http));
                if (management > 0) {
                    props.put("quarkus.management.port", String.valueOf(management));
                }
                Path file = workDir.resolve(name + ".properties");
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(file)) {
                    props.store(out, "configuration of " + name + " (written by PackagedService)");
                }
                return new PackagedService(name, moduleDir.resolve("target/quarkus-app/quarkus-run.jar"), file,
                        workDir.resolve("logs").resolve(name + ".log"), List.copyOf(jvmOptions), Map.copyOf(environment), http, management);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** Where health and metrics are served: the management port when there is one, else the HTTP port. */
    public int healthPort() {
        return managementPort > 0 ? managementPort : port;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the process (appending to its log), without waiting for readiness. */
    public synchronized PackagedService start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dquarkus.config.locations=" + configFile.toUri());
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early when the process exits. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (ready()) {
                return;
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + ": " + readiness() + "; see " + log);
    }

    public boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The readiness body (which check is down), or the error reaching it. */
    public String readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, consumer groups are not left. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM and wait (up to 30 s, then SIGKILL). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(30))) {
                kill();
            }
        }
    }

    /** SIGSTOP: the process freezes (a GC pause, a hung VM) until {@link #resume()}. */
    public void freeze() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (:" + port + ")";
    }
}
