package dev.triggerlayer.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Scripts run: the runner tests. */
public class RunnerProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("scheduler.runner.shell-enabled", "true",
                "scheduler.runner.output-limit", "4096",
                "scheduler.runner.heartbeat", "1s",
                // The tests move the scheduler's clock by an hour while scripts run; leases are on that clock.
                "scheduler.runner.lease", "6h",
                "scheduler.runner.poll-interval", "200ms");
    }
}
