package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.scheduler.instance.expiry.ExpiryJob;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.triggerlayer.scheduler.Scenario.deploy;
import static dev.triggerlayer.scheduler.Scenario.instance;
import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Instances older than the retention (30 days by default) are deleted in batches, running ones kept, and recorded. */
@QuarkusTest
class ExpiryTest {

    // Far before every other test's dates, so this test's expiry touches only its own instances.
    static final Instant DAY_ONE = Instant.parse("2025-01-01T01:00:00Z");

    @Inject
    ExpiryJob expiry;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void expiredInstancesAreDeletedWithTheirDagButRunningOnesWaitForTheirEnd() {
        CLOCK.set(DAY_ONE);
        long workspace = uniqueId(), first = uniqueId(), second = uniqueId();
        deploy(workspace, "UTC", List.of(node(first, "SHELL", "00 00 08 * * ?", "IMMEDIATE"),
                node(second, "SHELL", "00 00 08 * * ?", "IMMEDIATE", first)));
        Instant dayOne = Instant.parse("2025-01-01T08:00:00Z"), dayTwo = Instant.parse("2025-01-02T08:00:00Z");
        long running = instance(workspace, first, dayOne).path("Id").asLong();
        long old = instance(workspace, second, dayOne).path("Id").asLong();
        long dag = instance(workspace, first, dayOne).path("WorkflowInstanceId").asLong();
        execute("update task_instance set status = 4 where id = $1", running);

        // 31 days later, midnight: day one's instances are past the 30-day retention, day two's are not.
        CLOCK.set(Instant.parse("2025-02-01T00:00:00Z"));
        assertEquals(1, expiry.deleteExpired().await().atMost(Duration.ofSeconds(30)));
        assertEquals(0L, count("select count(*) from task_instance where id = $1", old));
        assertEquals(1L, count("select count(*) from task_instance where id = $1", running), "a running instance is kept");
        assertEquals(1L, count("select count(*) from task_instance where node_id = $1 and cyc_time = '2025-01-02T08:00:00Z'", second),
                "day two is within the retention");
        assertEquals(1L, count("select count(*) from dag_instance where id = $1", dag), "its DAG still has an instance");

        try (TopicReader operations = new TopicReader(bootstrap, "scheduler.instance-operations")) {
            JsonNode record = operations.await(String.valueOf(workspace), v -> v.path("operation").asText().equals("expired-task-instances-deleted"));
            assertEquals(List.of(old), List.of(record.path("taskInstanceIds").path(0).asLong()));
            assertEquals(1, record.path("taskInstanceIds").size());
            assertEquals("tester", record.path("owner").asText());
            assertEquals("scheduler", record.path("operator").asText());
            assertEquals(1002, record.path("tenantId").asLong());
            assertEquals(Instant.parse("2025-02-01T00:00:00Z").toEpochMilli(), record.path("operationTime").asLong());
        }

        execute("update task_instance set status = 6 where id = $1", running);
        assertEquals(1, expiry.deleteExpired().await().atMost(Duration.ofSeconds(30)));
        assertEquals(0L, count("select count(*) from dag_instance where id = $1", dag), "an emptied DAG instance goes too");
        assertTrue(count("select count(*) from instance_operation where workspace_id = $1 and operation = 'expired-task-instances-deleted'", workspace) == 2);
        assertEquals(dayTwo.toEpochMilli(), instance(workspace, first, dayTwo).path("TriggerTime").asLong());
    }

    private void execute(String sql, long id) {
        pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }

    private long count(String sql, long arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }
}
