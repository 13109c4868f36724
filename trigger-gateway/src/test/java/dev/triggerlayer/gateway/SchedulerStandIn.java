package dev.triggerlayer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the scheduler at its Kafka contract (contracts/scheduler-records.md) so gateway tests can
 * choose each outcome: the last digit of TriggerTime picks it (0 triggered, 1 retained,
 * 2 already triggered, 3 no answer, 4 not found). A repeated command id gets the same outcome
 * marked redelivered, as the real scheduler does. The end-to-end suite runs the real scheduler.
 */
public final class SchedulerStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Thread thread;
    public final List<JsonNode> commands = new CopyOnWriteArrayList<>();
    private final Map<String, String> answered = new ConcurrentHashMap<>();

    public SchedulerStandIn(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer());
        List<TopicPartition> partitions = consumer.partitionsFor("scheduler.trigger-commands", Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::run, "scheduler-stand-in");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    JsonNode command = JSON.readTree(r.value());
                    commands.add(command);
                    String id = command.path("commandId").asText();
                    String previous = answered.get(id);
                    String outcome;
                    if (previous != null) {
                        outcome = previous.replace("\"redelivered\":false", "\"redelivered\":true");
                    } else {
                        outcome = switch ((int) (command.path("triggerTime").asLong() % 10)) {
                            case 0 -> outcome(id, "TRIGGERED", "Triggered");
                            case 1 -> outcome(id, "RETAINED", "UpstreamNotFinished");
                            case 2 -> outcome(id, "REFUSED", "AlreadyTriggered");
                            case 4 -> outcome(id, "REFUSED", "InstanceNotFound");
                            default -> null;
                        };
                        if (outcome == null) {
                            continue;
                        }
                        answered.put(id, outcome);
                    }
                    producer.send(new ProducerRecord<>("scheduler.trigger-outcomes", id, outcome));
                }
            }
        } catch (WakeupException e) {
            consumer.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outcome(String id, String kind, String code) {
        return "{\"commandId\":\"" + id + "\",\"outcome\":\"" + kind + "\",\"code\":\"" + code + "\",\"message\":\"" + code
                + " (stand-in)\",\"taskInstanceId\":555,\"retainedUntil\":1900000000000,\"decidedAt\":1,\"redelivered\":false}";
    }

    public long commandsFor(long taskId, long triggerTime) {
        return commands.stream().filter(c -> c.path("taskId").asLong() == taskId && c.path("triggerTime").asLong() == triggerTime).count();
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(5000);
        producer.close();
    }
}
