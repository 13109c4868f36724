package dev.triggerlayer.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.testsupport.SharedServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged schedulers on one database and one consumer group, one killed (SIGKILL) halfway:
 * every trigger is applied once, every instance moves once, duplicates of a command have no effect.
 */
class TwoReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<PackagedScheduler> replicas = new ArrayList<>();

    @AfterEach
    void stop() {
        replicas.forEach(PackagedScheduler::close);
    }

    @Test
    void twoReplicasApplyEachTriggerOnceAndMoveEachInstanceOnce() throws Exception {
        String kafka = SharedServers.kafka();
        // This test counts trigger transitions only: the released shell instances stay waiting for a runner.
        Map<String, String> noScripts = Map.of("scheduler.runner.shell-enabled", "false");
        PackagedScheduler a = PackagedScheduler.start("replica-it", noScripts);
        replicas.add(a);
        PackagedScheduler b = PackagedScheduler.start("replica-it", noScripts);
        replicas.add(b);

        long trigger = 880002, shell = 880003;
        a.post("/api/v1/workflows", "{\"id\":880001,\"tenantId\":1,\"workspaceId\":880000,\"env\":\"Prod\",\"name\":\"replicas\","
                + "\"owner\":\"it\",\"timeZone\":\"UTC\",\"nodes\":["
                + "{\"id\":" + trigger + ",\"name\":\"trigger\",\"type\":\"HTTP_TRIGGER\",\"cron\":\"00 00/10 * * * ?\"},"
                + "{\"id\":" + shell + ",\"name\":\"after\",\"type\":\"SHELL\",\"script\":\"true\",\"cron\":\"00 00/10 * * * ?\",\"upstream\":[" + trigger + "]}]}");
        a.post("/api/v1/workflows/880001/deploy", "");
        // Yesterday's instances: their time has passed, so each trigger fires as it arrives.
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        b.post("/api/v1/workflows/880001/generate?date=" + yesterday, "");

        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 144; i++) {
            times.add(yesterday.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(10L * i)).toEpochMilli());
        }
        // After the crash: per partition, the first command sent and when (to measure when it is served again).
        Map<Integer, String> firstAfterCrash = new HashMap<>();
        long crashedAt = 0;
        TopicReader outcomes = new TopicReader(kafka, "scheduler.trigger-outcomes");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < times.size(); i++) {
                long t = times.get(i);
                UUID id = UUID.randomUUID();
                String first = command(id, trigger, t);
                // The same command twice (a redelivery) and a second command for the same instance.
                int partition = producer.send(new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + trigger + "/" + t, first)).get().partition();
                if (crashedAt > 0) {
                    firstAfterCrash.putIfAbsent(partition, id.toString());
                }
                producer.send(new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + trigger + "/" + t, first));
                producer.send(new ProducerRecord<>("scheduler.trigger-commands", "Prod/" + trigger + "/" + t, command(UUID.randomUUID(), trigger, t)));
                if (i == times.size() / 2) {
                    producer.flush();
                    a.crash(); // replica A dies mid-stream
                    crashedAt = System.currentTimeMillis();
                }
            }
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> PackagedScheduler.count("select count(*) from scheduler.task_instance where node_id = "
                + trigger + " and status = 6 and biz_date = '" + yesterday.minusDays(1) + "'") == times.size());
        await().atMost(Duration.ofSeconds(60)).until(() -> PackagedScheduler.count("select count(*) from scheduler.outbox") == 0);

        assertEquals(times.size(), PackagedScheduler.count("select count(*) from scheduler.task_instance where node_id = " + shell
                + " and status = 3 and biz_date = '" + yesterday.minusDays(1) + "'"), "every downstream instance released");
        assertEquals(times.size(), PackagedScheduler.count("select count(*) from scheduler.trigger_command where outcome = 'TRIGGERED'"
                + " and instance_id in (select id from scheduler.task_instance where node_id = " + trigger + ")"), "one trigger applied per instance");
        assertEquals(times.size(), PackagedScheduler.count("select count(*) from scheduler.trigger_command where code = 'AlreadyTriggered'"
                + " and instance_id in (select id from scheduler.task_instance where node_id = " + trigger + ")"), "the second command refused");

        // Every instance moved once per status: no duplicate transitions on the change topic.
        Map<String, Integer> transitions = new HashMap<>();
        try (TopicReader changes = new TopicReader(kafka, "scheduler.instance-changes")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                transitions.clear();
                Map<String, String> byChangeId = new HashMap<>();
                for (var r : changes.readToEnd()) {
                    JsonNode v = JSON.readTree(r.value());
                    if (v.path("nodeId").asLong() == trigger || v.path("nodeId").asLong() == shell) {
                        // A relay retry may repeat a record, but then with the same change id.
                        byChangeId.put(v.path("changeId").asText(), v.path("taskInstanceId").asText() + "->" + v.path("status").asInt());
                    }
                }
                byChangeId.values().forEach(k -> transitions.merge(k, 1, Integer::sum));
                return transitions.values().stream().mapToInt(Integer::intValue).sum() >= 3 * times.size();
            });
        }
        assertTrue(transitions.values().stream().allMatch(n -> n == 1), "a transition recorded twice: " + transitions);

        // Fail-over: the partitions of the dead replica are served by the survivor within 10 s of the crash.
        long worst = 0;
        try (outcomes) {
            for (var e : firstAfterCrash.entrySet()) {
                long servedAt = outcomes.await(e.getValue(), v -> true) == null ? Long.MAX_VALUE
                        : outcomes.poll().stream().filter(r -> e.getValue().equals(r.key())).mapToLong(r -> r.timestamp()).min().orElseThrow();
                worst = Math.max(worst, servedAt - crashedAt);
            }
        }
        System.out.println("two replicas: every partition served again " + worst + " ms after the crash (" + firstAfterCrash.size() + " partitions)");
        assertEquals(3, firstAfterCrash.size(), "a command on every partition after the crash");
        assertTrue(worst <= 10_000, "a partition waited " + worst + " ms for the survivor");
    }

    private static String command(UUID id, long taskId, long time) {
        return "{\"commandId\":\"" + id + "\",\"issuedAt\":\"" + Instant.now() + "\",\"action\":\"TriggerSchedulerTaskInstance\","
                + "\"taskId\":" + taskId + ",\"env\":\"Prod\",\"triggerTime\":" + time + ",\"principal\":\"it\"}";
    }
}
