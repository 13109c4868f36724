package dev.triggerlayer.scheduler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged schedulers run shell instances; one is killed (SIGKILL) while its scripts run.
 * Every instance still ends in a final state (the dead replica's runs are resolved when their
 * leases expire, and retried), and no (instance, attempt) ran twice: each script appends its
 * instance id and attempt to a file.
 */
class ShellCrashIT {

    private final List<PackagedScheduler> replicas = new ArrayList<>();

    @AfterEach
    void stop() {
        replicas.forEach(PackagedScheduler::close);
    }

    @Test
    void runsOfAKilledReplicaAreResolvedAndNoAttemptRunsTwice() throws Exception {
        Path runs = Files.createTempFile("shell-crash-runs", ".txt");
        // The scripts append to it as the unprivileged user they run as when the scheduler is root.
        Files.setPosixFilePermissions(runs, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Map<String, String> settings = Map.of("scheduler.runner.lease", "3s", "scheduler.runner.heartbeat", "500ms",
                "scheduler.runner.max-concurrent", "4");
        PackagedScheduler a = start("shell-crash-a", settings);
        PackagedScheduler b = start("shell-crash-b", settings);

        long workflow = 660001, node = 660002;
        String script = "echo \\\"$TRIGGERLAYER_INSTANCE_ID $TRIGGERLAYER_ATTEMPT\\\" >> \\\"$RUNS\\\"; sleep 1";
        a.post("/api/v1/workflows", "{\"id\":" + workflow + ",\"tenantId\":1,\"workspaceId\":660000,\"env\":\"Prod\",\"name\":\"shell-crash\","
                + "\"owner\":\"it\",\"timeZone\":\"UTC\",\"nodes\":[{\"id\":" + node + ",\"name\":\"work\",\"type\":\"SHELL\","
                + "\"script\":\"" + script + "\",\"cron\":\"00 00/30 * * * ?\",\"retries\":0,\"retryIntervalSeconds\":1,"
                + "\"parameters\":{\"RUNS\":\"" + runs + "\"}}]}");
        a.post("/api/v1/workflows/" + workflow + "/deploy", "");
        // Yesterday's 48 instances are all due: both replicas start running them at once.
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        b.post("/api/v1/workflows/" + workflow + "/generate?date=" + yesterday, "");
        // Only yesterday's instances (their business date is the day before); deploy also generated tomorrow's.
        String ofYesterday = "node_id = " + node + " and biz_date = '" + yesterday.minusDays(1) + "'";
        String mine = "select id from scheduler.task_instance where " + ofYesterday;

        await().atMost(Duration.ofSeconds(60)).until(() -> PackagedScheduler.count("select count(*) from scheduler.task_instance_run "
                + "where outcome is null and runner = 'replica-a' and instance_id in (" + mine + ")") >= 2);
        a.crash(); // replica A dies with its scripts mid-run

        await().atMost(Duration.ofSeconds(180)).until(() -> PackagedScheduler.count("select count(*) from scheduler.task_instance "
                + "where " + ofYesterday + " and status not in (5, 6)") == 0);
        long instances = PackagedScheduler.count("select count(*) from scheduler.task_instance where " + ofYesterday);
        assertEquals(48, instances);
        assertEquals(48, PackagedScheduler.count("select count(*) from scheduler.task_instance where " + ofYesterday + " and status = 6"),
                "the node has no retries, yet the crash failed nothing: a lost run is retried on the lost-run allowance");
        long lostRuns = PackagedScheduler.count("select count(*) from scheduler.task_instance_run where outcome = 'LOST' and runner = 'replica-a' "
                + "and instance_id in (" + mine + ")");
        assertTrue(lostRuns >= 1, "replica A died mid-run");
        assertEquals(lostRuns, PackagedScheduler.count("select count(*) from scheduler.task_instance where " + ofYesterday
                + " and lost_retries_used = 1 and retries_used = 0"), "each lost run was retried once, without using the node's retries");
        long notStarted = PackagedScheduler.count("select count(*) from scheduler.task_instance_run where outcome = 'NOT_STARTED' "
                + "and instance_id in (" + mine + ")");
        System.out.println("shell crash: " + lostRuns + " runs lost and retried, " + notStarted + " claimed but never started and re-dispatched");

        Map<String, Integer> perAttempt = new HashMap<>();
        for (String line : Files.readAllLines(runs)) {
            perAttempt.merge(line.trim(), 1, Integer::sum);
        }
        assertTrue(perAttempt.values().stream().allMatch(n -> n == 1), "an attempt ran twice: " + perAttempt);
        long rows = PackagedScheduler.count("select count(*) from scheduler.task_instance_run where instance_id in (" + mine + ")");
        long lost = PackagedScheduler.count("select count(*) from scheduler.task_instance_run where outcome in ('LOST', 'NOT_STARTED') "
                + "and instance_id in (" + mine + ")");
        // A run of the dead replica may have been claimed but killed before its script wrote its line.
        assertTrue(perAttempt.size() <= rows && perAttempt.size() >= rows - lost, perAttempt.size() + " runs seen, " + rows + " recorded, " + lost + " lost");
        assertEquals(48, perAttempt.keySet().stream().map(k -> k.split(" ")[0]).distinct().count(), "every instance ran");
    }

    private PackagedScheduler start(String name, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        String id = name.substring(name.lastIndexOf('-') + 1);
        all.put("scheduler.runner.replica-id", "replica-" + id);
        // Under /tmp, which scripts running as another user can reach (a clone may sit under a private home).
        all.put("scheduler.runner.work-dir", System.getProperty("java.io.tmpdir") + "/triggerlayer-" + name + "-" + ProcessHandle.current().pid());
        PackagedScheduler s = PackagedScheduler.start(name, all);
        replicas.add(s);
        return s;
    }
}
