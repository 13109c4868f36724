package dev.triggerlayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in a child process ({@link LocalBroker}, this JVM's classpath), on a fixed
 * port with its data in one directory, so tests can kill it, freeze it and start it again while
 * the services keep their bootstrap address.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    public BrokerProcess(Path dataDir, Path log) {
        this.dataDir = dataDir;
        this.log = log;
        this.port = PackagedService.freePort(); // the broker's controller listens on port + 1
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it accepts clients. */
    public synchronized BrokerProcess start(Duration timeout) {
        long logStart;
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log.getParent());
            // The log is appended to: only a READY line written after this start counts.
            logStart = Files.exists(log) ? Files.size(log) : 0;
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), LocalBroker.class.getName(), dataDir.toString(), String.valueOf(port));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (Files.readString(log).substring((int) logStart).contains("READY kafka=" + bootstrapServers())) {
                    return this;
                }
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the broker was not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL: nothing is flushed by the broker itself (the operating system keeps what it wrote). */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: the broker stops answering (a stall, a network cut) until {@link #resume()}. */
    public void freeze() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
