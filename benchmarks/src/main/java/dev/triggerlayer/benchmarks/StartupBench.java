package dev.triggerlayer.benchmarks;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * JVM start time and idle memory of packaged Quarkus applications, one at a time (PostgreSQL and
 * Kafka running, nothing else of ours): the time from just before the process is started until
 * its {@code /q/health/ready} first answers 200 (polled every 10 ms), then, after it has been
 * ready and idle for a few seconds, its resident memory ({@code VmRSS} of {@code /proc/<pid>/status}).
 * Then it is stopped (SIGTERM) before the next one starts.
 *
 * <p>A first round is not counted (its starts migrate the empty schemas and read the jars from
 * disk); the reported figures are the medians of the counted rounds. Each round starts the
 * applications in the order given, rotated by one per round, so none of them always comes first.
 *
 * <p>Arguments: {@code specFile rounds idleSeconds logDir jsonOut}. Each line of the spec file is
 * one application, tab-separated: name, HTTP port, then the arguments of {@code java} (JVM options
 * and {@code -jar …}). The environment is passed on, with {@code HTTP_PORT} set to the port and
 * {@code MANAGEMENT_PORT} to the port plus {@link #MANAGEMENT_OFFSET}.
 */
public final class StartupBench {

    /** Each app's management port (health) is its HTTP port plus this, as benchmarks/run.sh starts them. */
    static final int MANAGEMENT_OFFSET = 100;

    private record App(String name, int port, List<String> javaArgs) {
    }

    public static void main(String[] a) throws Exception {
        List<App> apps = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(a[0]))) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                apps.add(new App(f[0], Integer.parseInt(f[1]), List.of(f).subList(2, f.length)));
            }
        }
        int rounds = Integer.parseInt(a[1]), idleSeconds = Integer.parseInt(a[2]);
        Path logs = Path.of(a[3]), out = Path.of(a[4]);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

        Map<String, double[]> startMs = new LinkedHashMap<>(), rssMiB = new LinkedHashMap<>();
        apps.forEach(app -> {
            startMs.put(app.name(), new double[rounds]);
            rssMiB.put(app.name(), new double[rounds]);
        });
        for (int round = 0; round <= rounds; round++) {
            for (int k = 0; k < apps.size(); k++) {
                App app = apps.get((k + round) % apps.size());
                List<String> command = new ArrayList<>();
                command.add(java);
                command.addAll(app.javaArgs());
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs.toFile(), "startup-" + app.name() + ".log")));
                builder.environment().put("HTTP_PORT", String.valueOf(app.port()));
                builder.environment().put("MANAGEMENT_PORT", String.valueOf(app.port() + MANAGEMENT_OFFSET));
                long t0 = System.nanoTime();
                Process process = builder.start();
                try {
                    awaitReady(http, app, process);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (round == 0) {
                        System.out.printf(Locale.ROOT, "  warm-up %-16s ready after %,6.0f ms (not counted)%n", app.name(), ms);
                    } else {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
                        if (!process.isAlive()) {
                            throw new IllegalStateException(app.name() + " exited while idle; see " + logs);
                        }
                        double rss = vmRssKiB(process.pid()) / 1024.0;
                        startMs.get(app.name())[round - 1] = ms;
                        rssMiB.get(app.name())[round - 1] = rss;
                        System.out.printf(Locale.ROOT, "  round %d %-16s ready after %,6.0f ms, idle RSS %6.1f MiB%n", round, app.name(), ms, rss);
                    }
                } finally {
                    stop(process);
                }
                Thread.sleep(1000); // let the stopped JVM's exit settle before the next start
            }
        }

        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-18s %16s %18s   (medians of %d rounds, %d s idle)%n",
                "application", "start->ready ms", "idle VmRSS MiB", rounds, idleSeconds));
        StringJoiner json = new StringJoiner(",", "{\"rounds\":" + rounds + ",\"idleSeconds\":" + idleSeconds + ",\"applications\":{", "}}\n");
        for (App app : apps) {
            double[] s = startMs.get(app.name()), r = rssMiB.get(app.name());
            text.append(String.format(Locale.ROOT, "%-18s %16.0f %18.1f%n", app.name(), median(s), median(r)));
            json.add(String.format(Locale.ROOT, "\"%s\":{\"startMs\":%.1f,\"rssMiB\":%.1f,\"startMsRounds\":%s,\"rssMiBRounds\":%s}",
                    app.name(), median(s), median(r), list(s), list(r)));
        }
        System.out.print(text);
        Files.writeString(out, json.toString());
    }

    private static void awaitReady(HttpClient http, App app, Process process) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (app.port() + MANAGEMENT_OFFSET) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // connection refused until the HTTP server is up
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(app.name() + " exited with " + process.exitValue() + " before it was ready");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(app.name() + " was not ready within 3 minutes");
            }
            Thread.sleep(10);
        }
    }

    private static long vmRssKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(double[] v) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (double x : v) {
            j.add(String.format(Locale.ROOT, "%.1f", x));
        }
        return j.toString();
    }
}
