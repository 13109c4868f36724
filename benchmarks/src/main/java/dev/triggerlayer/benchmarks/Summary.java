package dev.triggerlayer.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The one table of a {@code benchmarks/run.sh} run: every measurement of the run beside its
 * baseline from the same run, the ratio, the goal and whether it was met, built from the JSON
 * files the measurements wrote; printed and written as JSON.
 *
 * <p>Arguments: {@code resultsDir measurementsRun failedMeasurements commit summaryJson [loadAverage]}
 * (the two lists comma-separated, possibly empty; the load average of the machine before the run,
 * a hint of how quiet it was).
 */
public final class Summary {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] APPS = {"tenant-registry", "scheduler-service", "trigger-gateway", "event-publisher"};

    /** One line of the table; baseline, ratio, goal and met may be absent. */
    private record Row(String measurement, String unit, double value, String baselineName, Double baseline, String baselineUnit,
                       Double ratio, String goal, Boolean met) {
    }

    private final List<Row> rows = new ArrayList<>();

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        List<String> run = split(a[1]), failed = split(a[2]);
        Summary s = new Summary();
        List<String> broken = new ArrayList<>(failed);
        // The table's order: the goals' order in benchmarks/README.md.
        for (String m : List.of("gateway", "scheduler", "publisher", "latency", "federation", "startup", "signature")) {
            if (!run.contains(m) || failed.contains(m)) {
                continue;
            }
            try {
                switch (m) {
                    case "gateway" -> s.gateway(read(dir, "gateway-load.json"));
                    case "scheduler" -> s.scheduler(read(dir, "scheduler.json"));
                    case "publisher" -> s.publisher(read(dir, "publisher.json"));
                    case "latency" -> s.latency(read(dir, "latency.json"));
                    case "federation" -> s.federation(read(dir, "federation.json"));
                    case "startup" -> s.startup(read(dir, "startup.json"));
                    case "signature" -> s.signature(read(dir, "signature-jmh.json"));
                    default -> throw new IllegalStateException(m);
                }
            } catch (Exception e) {
                System.err.println("summary: no result of " + m + ": " + e);
                broken.add(m);
            }
        }
        String load = a.length > 5 ? a[5] : "";
        s.print(broken, a[3], load);
        s.write(Path.of(a[4]), run, broken, a[3], load);
    }

    private void gateway(JsonNode j) {
        JsonNode g = j.path("gateway"), b = j.path("bare");
        ratio("gateway: signed triggers, concurrency " + j.path("concurrency").asInt(), "req/s", g.path("rps").asDouble(),
                "bare endpoint", b.path("rps").asDouble(), "ratio >= 0.5", r -> r >= 0.5);
        ratio("gateway: p99 latency", "ms", g.path("p99ms").asDouble(), "bare endpoint", b.path("p99ms").asDouble(), null, null);
    }

    private void scheduler(JsonNode j) {
        double transitions = j.path("transitionsPerSecond").asDouble(), pgbench = j.path("pgbenchTps").asDouble();
        rows.add(new Row("scheduler: burst of " + j.path("triggers").asInt() + " triggers, scripts off", "transitions/s", transitions,
                "pgbench updates", pgbench, "tps", transitions / pgbench, "ratio >= 0.5", transitions / pgbench >= 0.5));
    }

    private void publisher(JsonNode j) {
        double events = j.path("publisherEventsPerSecond").asDouble(), raw = j.path("rawProducerPerSecond").asDouble();
        rows.add(new Row("publisher: instance changes -> CloudEvents on the bus", "events/s", events, "raw producer", raw, "records/s",
                events / raw, "ratio >= 0.5", events / raw >= 0.5));
        double p99 = j.path("latency").path("p99ms").asDouble();
        rows.add(new Row("publisher: change committed -> event read, p99", "ms", p99, null, null, null, null, "<= 50 ms", p99 <= 50));
    }

    private void latency(JsonNode j) {
        JsonNode small = j.path("small"), large = j.path("large");
        String at10k = String.format(Locale.ROOT, " @ %,d stored", small.path("instances").asLong());
        String at1m = String.format(Locale.ROOT, " @ %,d stored", large.path("instances").asLong());
        for (String[] step : new String[][] {{"running", "trigger -> downstream running"}, {"runnable", "trigger -> downstream runnable"}}) {
            double p50 = small.path(step[0]).path("p50ms").asDouble(), p99 = small.path(step[0]).path("p99ms").asDouble();
            rows.add(new Row(step[1] + ", p50" + at10k, "ms", p50, null, null, null, null, null, null));
            rows.add(new Row(step[1] + ", p99" + at10k, "ms", p99, null, null, null, null, "<= 50 ms", p99 <= 50));
            ratio(step[1] + ", p50" + at1m, "ms", large.path(step[0]).path("p50ms").asDouble(), "same @ 10 k", p50, null, null);
            ratio(step[1] + ", p99" + at1m, "ms", large.path(step[0]).path("p99ms").asDouble(), "same @ 10 k", p99, "ratio <= 1.2", r -> r <= 1.2);
        }
    }

    private void federation(JsonNode j) {
        JsonNode home = j.path("home"), other = j.path("other");
        ratio("federation: trigger round trip p50, via the other region", "ms", other.path("p50ms").asDouble(), "via the home region",
                home.path("p50ms").asDouble(), null, null);
        ratio("federation: trigger round trip p99, via the other region", "ms", other.path("p99ms").asDouble(), "via the home region",
                home.path("p99ms").asDouble(), null, null);
        rows.add(new Row("federation: MirrorMaker 2 lag per record, p50", "ms", j.path("replicationLag").path("p50ms").asDouble(),
                null, null, null, null, null, null));
        rows.add(new Row("federation: MirrorMaker 2 lag per record, p99", "ms", j.path("replicationLag").path("p99ms").asDouble(),
                null, null, null, null, null, null));
    }

    private void startup(JsonNode j) {
        JsonNode apps = j.path("applications"), bare = apps.path("bare-endpoint");
        for (String app : APPS) {
            ratio(app + ": JVM start -> ready", "ms", apps.path(app).path("startMs").asDouble(), "bare endpoint",
                    bare.path("startMs").asDouble(), null, null);
            ratio(app + ": idle VmRSS", "MiB", apps.path(app).path("rssMiB").asDouble(), "bare endpoint",
                    bare.path("rssMiB").asDouble(), null, null);
        }
    }

    private void signature(JsonNode j) {
        double verify = 0, hmac = 0;
        for (JsonNode b : j) {
            String name = b.path("benchmark").asText();
            if (name.endsWith(".verifyV1")) {
                verify = b.path("primaryMetric").path("score").asDouble();
            } else if (name.endsWith(".baselineHmacSha1")) {
                hmac = b.path("primaryMetric").path("score").asDouble();
            }
        }
        ratio("one V1 signature verification (JMH)", "ns/op", verify, "bare HMAC-SHA1", hmac, null, null);
    }

    private void ratio(String measurement, String unit, double value, String baselineName, double baseline, String goal, DoublePredicate met) {
        double ratio = value / baseline;
        rows.add(new Row(measurement, unit, value, baselineName, baseline, unit, ratio, goal, met == null ? null : met.test(ratio)));
    }

    private void print(List<String> broken, String commit, String load) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"measurement", "value", "baseline", "ratio", "goal", "met"});
        for (Row r : rows) {
            cells.add(new String[] {r.measurement(), number(r.value()) + " " + r.unit(),
                    r.baseline() == null ? "-" : r.baselineName() + " " + number(r.baseline()) + " " + r.baselineUnit(),
                    r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio()),
                    r.goal() == null ? "-" : r.goal(), r.met() == null ? "-" : r.met() ? "yes" : "NO"});
        }
        for (String m : broken) {
            cells.add(new String[] {m + ": FAILED (see its output above)", "-", "-", "-", "-", "FAILED"});
        }
        int[] width = new int[6];
        for (String[] c : cells) {
            for (int i = 0; i < 6; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder out = new StringBuilder("== Summary (commit " + commit + ", " + Runtime.getRuntime().availableProcessors()
                + " cores" + (load.isBlank() ? "" : ", load average before the run " + load) + "; every baseline measured in this run)\n");
        for (int n = 0; n < cells.size(); n++) {
            String[] c = cells.get(n);
            out.append(String.format(Locale.ROOT, "%-" + width[0] + "s | %" + width[1] + "s | %-" + width[2] + "s | %" + width[3]
                    + "s | %-" + width[4] + "s | %s%n", (Object[]) c));
            if (n == 0) {
                char[] rule = new char[Arrays.stream(width).sum() + 15];
                Arrays.fill(rule, '-');
                out.append(rule).append('\n');
            }
        }
        System.out.print(out);
    }

    private void write(Path file, List<String> run, List<String> broken, String commit, String load) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", java.time.Instant.now().toString());
        root.put("commit", commit);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("loadAverageBefore", load);
        run.forEach(root.putArray("measurements")::add);
        broken.forEach(root.putArray("failed")::add);
        ArrayNode array = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = array.addObject();
            o.put("measurement", r.measurement());
            o.put("unit", r.unit());
            o.put("value", round(r.value()));
            o.put("baselineName", r.baselineName());
            o.put("baselineUnit", r.baselineUnit());
            if (r.baseline() == null) {
                o.putNull("baseline");
                o.putNull("ratio");
            } else {
                o.put("baseline", round(r.baseline()));
                o.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
            }
            o.put("goal", r.goal());
            if (r.met() == null) {
                o.putNull("met");
            } else {
                o.put("met", r.met());
            }
        }
        Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    private static String number(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static JsonNode read(Path dir, String name) throws Exception {
        return JSON.readTree(dir.resolve(name).toFile());
    }

    private static List<String> split(String list) {
        return list.isBlank() ? List.of() : List.of(list.split(","));
    }
}
