package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events of one instance arrive in the order of its changes, per subscription, although many
 * instances change at once and the endpoint refuses some attempts (a refused event is retried
 * before the lane moves on).
 */
@QuarkusTest
class OrderingTest {

    static final int INSTANCES = 6;
    static final int CHANGES = 12;
    static final long BASE_TIME = 1763769600000L;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eventsOfOneInstanceArriveInOrderUnderConcurrency() throws Exception {
        Feeds.Tenant t;
        try (Feeds setup = new Feeds(bootstrap)) {
            t = setup.tenant("default");
        }
        String targetTopic = "tenant." + t.tenantId() + ".ordered";
        // Every fifth request is refused: retried events must still not overtake each other.
        try (Receiver receiver = Receiver.start().refuseWhen(n -> n % 5 == 0)) {
            long httpId = Api.httpSubscription(t.tenantId(), receiver.url(), null, List.of(Api.INSTANCE_TYPE)).getLong("id");
            long kafkaId = Api.kafkaSubscription(t.tenantId(), targetTopic).getLong("id");

            List<Long> tasks = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                tasks.add(Api.uniqueId());
            }
            ExecutorService writers = Executors.newFixedThreadPool(INSTANCES);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (long task : tasks) {
                    done.add(writers.submit(() -> {
                        try (Feeds feeds = new Feeds(bootstrap)) {
                            for (int c = 0; c < CHANGES; c++) {
                                feeds.instanceChange(t, task, 1 + c % 8, BASE_TIME + c);
                            }
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                writers.shutdown();
            }

            int total = INSTANCES * CHANGES;
            await().atMost(Duration.ofSeconds(60)).until(() -> firstDeliveries(receiver).size() == total);
            assertInOrder(firstDeliveries(receiver));

            try (TopicReader target = new TopicReader(bootstrap, targetTopic)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> target.values().size() >= total);
                assertInOrder(target.values());
            }
            Api.delete(httpId);
            Api.delete(kafkaId);
        }
    }

    /** The accepted deliveries, first acceptance of each event only, in arrival order. */
    private static List<JsonNode> firstDeliveries(Receiver receiver) {
        Set<String> seen = new LinkedHashSet<>();
        List<JsonNode> out = new ArrayList<>();
        for (Receiver.Request r : receiver.accepted()) {
            if (seen.add(r.eventId())) {
                out.add(r.json());
            }
        }
        return out;
    }

    private static void assertInOrder(List<JsonNode> events) {
        Map<Long, List<Long>> perInstance = new HashMap<>();
        for (JsonNode e : events) {
            perInstance.computeIfAbsent(e.at("/data/taskId").asLong(), k -> new ArrayList<>()).add(e.at("/data/modifyTime").asLong());
        }
        assertEquals(INSTANCES, perInstance.size());
        perInstance.forEach((task, times) -> {
            List<Long> expected = new ArrayList<>();
            for (int c = 0; c < CHANGES; c++) {
                expected.add(BASE_TIME + c);
            }
            assertEquals(expected, times, "changes of instance " + task + " in order");
        });
    }
}
