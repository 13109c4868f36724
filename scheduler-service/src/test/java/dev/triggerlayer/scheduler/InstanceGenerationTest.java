package dev.triggerlayer.scheduler;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.scheduler.Scenario.node;
import static dev.triggerlayer.scheduler.Scenario.operator;
import static dev.triggerlayer.scheduler.Scenario.uniqueId;
import static dev.triggerlayer.scheduler.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** T+1 and immediate generation produce exactly the expected instances, once, in DST-free and DST zones. */
@QuarkusTest
class InstanceGenerationTest {

    static final String DAILY = "00 30 05 * * ?";
    static final String EVERY_TEN_MINUTES = "00 00/10 * * * ?";
    static final String TUESDAY_AND_FRIDAY = "00 05 00 * * 2,5";
    static final String QUARTERLY = "00 10 00 1 1-12/3 ?";

    @Inject
    Pool pool;

    @Test
    void nextDayGenerationCreatesTomorrowsInstancesOnlyAndOnce() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        // Sunday 2026-11-22 10:00 in Shanghai; tomorrow is Monday.
        CLOCK.set(LocalDateTime.parse("2026-11-22T10:00:00").atZone(shanghai).toInstant());
        long daily = uniqueId(), tenMinutes = uniqueId(), tueFri = uniqueId();
        long wf = Scenario.deploy(uniqueId(), "Asia/Shanghai", List.of(
                node(daily, "SHELL", DAILY, "T_PLUS_1"),
                node(tenMinutes, "SHELL", EVERY_TEN_MINUTES, "T_PLUS_1", daily),
                node(tueFri, "HTTP_TRIGGER", TUESDAY_AND_FRIDAY, "T_PLUS_1")));

        assertEquals(List.of(), times(daily, LocalDate.parse("2026-11-22"), shanghai), "T+1: nothing today");
        assertEquals(List.of("05:30"), times(daily, LocalDate.parse("2026-11-23"), shanghai));
        assertEquals(144, times(tenMinutes, LocalDate.parse("2026-11-23"), shanghai).size());
        assertEquals(List.of(), times(tueFri, LocalDate.parse("2026-11-23"), shanghai), "Monday is not Tuesday or Friday");

        // A second run, and the next day's run, are idempotent and follow the calendar.
        assertEquals(0, (int) operator().post("/api/v1/workflows/" + wf + "/generate?date=2026-11-23").then().statusCode(200)
                .extract().path("created"));
        assertEquals(146, (int) operator().post("/api/v1/workflows/" + wf + "/generate?date=2026-11-24").then().statusCode(200)
                .extract().path("created"), "Tuesday: 1 daily + 144 + 1 Tue/Fri");
        assertEquals(List.of("00:05"), times(tueFri, LocalDate.parse("2026-11-24"), shanghai));

        // Business date is the day before; one DAG instance per workflow and day.
        Row dag = pool.preparedQuery("select count(distinct dag_instance_id) as dags, min(biz_date) as biz from task_instance "
                        + "where workflow_id = $1 and cyc_time >= $2 and cyc_time < $3")
                .execute(Tuple.of(wf, LocalDate.parse("2026-11-24").atStartOfDay(shanghai).toOffsetDateTime(),
                        LocalDate.parse("2026-11-25").atStartOfDay(shanghai).toOffsetDateTime()))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals(1L, dag.getLong("dags"));
        assertEquals(LocalDate.parse("2026-11-23"), dag.getLocalDate("biz"));

        // Dependencies: each ten-minute instance waits for the day's 05:30 run (or the first one before it).
        long linked = pool.preparedQuery("select count(*) from task_instance_dependency d join task_instance t on t.id = d.instance_id "
                        + "where t.node_id = $1").execute(Tuple.of(tenMinutes)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(288, linked, "each of 2 x 144 instances has one upstream instance");
    }

    @Test
    void immediateGenerationCreatesTheRestOfTodayAndTomorrow() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        CLOCK.set(LocalDateTime.parse("2026-11-22T10:00:00").atZone(shanghai).toInstant());
        long tenMinutes = uniqueId(), daily = uniqueId(), quarterly = uniqueId();
        Scenario.deploy(uniqueId(), "Asia/Shanghai", List.of(
                node(tenMinutes, "SHELL", EVERY_TEN_MINUTES, "IMMEDIATE"),
                node(daily, "HTTP_TRIGGER", DAILY, "IMMEDIATE"),
                node(quarterly, "SHELL", QUARTERLY, "IMMEDIATE")));
        List<String> today = times(tenMinutes, LocalDate.parse("2026-11-22"), shanghai);
        assertEquals(84, today.size(), "10:00 to 23:50");
        assertEquals("10:00", today.get(0));
        assertEquals(List.of(), times(daily, LocalDate.parse("2026-11-22"), shanghai), "05:30 already passed");
        assertEquals(List.of("05:30"), times(daily, LocalDate.parse("2026-11-23"), shanghai));
        assertEquals(144, times(tenMinutes, LocalDate.parse("2026-11-23"), shanghai).size());
        assertEquals(List.of(), times(quarterly, LocalDate.parse("2026-11-23"), shanghai));
    }

    @Test
    void daylightSavingDaysFollowWallClockTime() {
        ZoneId newYork = ZoneId.of("America/New_York");
        CLOCK.set(Instant.parse("2026-01-01T00:00:00Z"));
        long tenMinutes = uniqueId(), daily = uniqueId();
        long wf = Scenario.deploy(uniqueId(), "America/New_York", List.of(
                node(tenMinutes, "SHELL", EVERY_TEN_MINUTES, "T_PLUS_1"),
                node(daily, "SHELL", "00 30 02 * * ?", "T_PLUS_1")));
        // Spring forward (2026-03-08): 02:00-02:59 does not exist; those times move to 03:00-03:59,
        // where instances exist already, so the 23-hour day has 138 ten-minute instances.
        operator().post("/api/v1/workflows/" + wf + "/generate?date=2026-03-08").then().statusCode(200);
        assertEquals(138, times(tenMinutes, LocalDate.parse("2026-03-08"), newYork).size());
        assertEquals(List.of("03:30"), times(daily, LocalDate.parse("2026-03-08"), newYork), "02:30 does not exist that day");
        // Fall back (2026-11-01): 01:00-01:59 happens twice; each wall-clock time runs once (the earlier one).
        operator().post("/api/v1/workflows/" + wf + "/generate?date=2026-11-01").then().statusCode(200);
        assertEquals(144, times(tenMinutes, LocalDate.parse("2026-11-01"), newYork).size());
        Instant firstOneThirty = LocalDateTime.parse("2026-11-01T01:30:00").atZone(newYork).withEarlierOffsetAtOverlap().toInstant();
        assertTrue(cycTimes(tenMinutes).contains(firstOneThirty));
        assertTrue(!cycTimes(tenMinutes).contains(firstOneThirty.plus(Duration.ofHours(1))) ,
                "the repeated 01:30 is not scheduled twice");
    }

    @Test
    void manualNodesGetNoInstances() {
        CLOCK.set(Instant.parse("2026-11-22T00:00:00Z"));
        long manual = uniqueId();
        var n = new java.util.HashMap<>(node(manual, "SHELL", DAILY, "IMMEDIATE"));
        n.put("schedulerType", "MANUAL");
        Scenario.deploy(uniqueId(), "UTC", List.of(n));
        assertEquals(0, cycTimes(manual).size());
    }

    @Test
    void invalidWorkflowsAreRefusedNamingTheField() {
        long ws = uniqueId();
        Map<String, Object> base = Map.of("tenantId", 1002, "workspaceId", ws, "env", "Prod", "owner", "t", "timeZone", "UTC");
        long a = uniqueId(), b = uniqueId();
        var cycle = new java.util.HashMap<>(base);
        cycle.put("name", "cycle");
        cycle.put("nodes", List.of(node(a, "SHELL", DAILY, "T_PLUS_1", b), node(b, "SHELL", DAILY, "T_PLUS_1", a)));
        operator().body(cycle).post("/api/v1/workflows").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("nodes"));

        var tooOften = new java.util.HashMap<>(base);
        tooOften.put("name", "often");
        tooOften.put("nodes", List.of(node(a, "SHELL", "00 */2 * * * ?", "T_PLUS_1")));
        operator().body(tooOften).post("/api/v1/workflows").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("nodes[0].cron"))
                .body("message", org.hamcrest.Matchers.containsString("5 minutes"));

        var tooEarly = new java.util.HashMap<>(base);
        tooEarly.put("name", "early");
        tooEarly.put("nodes", List.of(node(a, "SHELL", "00 00 00 * * ?", "T_PLUS_1")));
        operator().body(tooEarly).post("/api/v1/workflows").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("nodes[0].cron"));

        var badPriority = new java.util.HashMap<>(base);
        badPriority.put("name", "prio");
        var p = new java.util.HashMap<>(node(a, "SHELL", DAILY, "T_PLUS_1"));
        p.put("priority", 2);
        badPriority.put("nodes", List.of(p));
        operator().body(badPriority).post("/api/v1/workflows").then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("nodes[0].priority"));

        var unknownUpstream = new java.util.HashMap<>(base);
        unknownUpstream.put("name", "unknown");
        unknownUpstream.put("nodes", List.of(node(a, "SHELL", DAILY, "T_PLUS_1", 42L)));
        operator().body(unknownUpstream).post("/api/v1/workflows").then().statusCode(400);

        long count = pool.preparedQuery("select count(*) from workflow where workspace_id = $1").execute(Tuple.of(ws))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(0, count, "nothing written");
    }

    private List<String> times(long nodeId, LocalDate day, ZoneId zone) {
        List<String> out = new ArrayList<>();
        for (Instant t : cycTimes(nodeId)) {
            var local = t.atZone(zone);
            if (local.toLocalDate().equals(day)) {
                out.add(local.toLocalTime().toString());
            }
        }
        return out;
    }

    private List<Instant> cycTimes(long nodeId) {
        List<Instant> out = new ArrayList<>();
        pool.preparedQuery("select cyc_time from task_instance where node_id = $1 order by cyc_time").execute(Tuple.of(nodeId))
                .await().atMost(Duration.ofSeconds(5)).forEach(r -> out.add(r.getOffsetDateTime(0).toInstant()));
        return out;
    }
}
