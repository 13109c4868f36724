package dev.triggerlayer.gateway.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Replays the registry's change feed and the scheduler's node directory from their beginning into
 * the {@link Directory}, then follows them. Not part of a consumer group: every replica reads
 * every partition. Readiness waits until the replay reached the end offsets seen at start.
 */
@ApplicationScoped
public class DirectoryLoader {

    private static final Logger LOG = Logger.getLogger(DirectoryLoader.class);

    private final Directory directory;
    private final GatewayConfig.Topics topics;
    private final String bootstrapServers;
    private final ObjectMapper json;
    private volatile boolean caughtUp;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public DirectoryLoader(Directory directory, GatewayConfig config, ObjectMapper json,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.directory = directory;
        this.topics = config.topics();
        this.json = json;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes @jakarta.annotation.Priority(1) StartupEvent event) throws InterruptedException {
        ensureTopics();
        running = true;
        thread = new Thread(this::run, "directory-loader");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5000);
        }
    }

    /** Whether the local copy has caught up with the feeds as they were at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Reads until stopped. A failure (the broker briefly unreachable, a timeout while it elects a
     * leader) must not leave the gateway unready for good: the loop reconnects and resumes where it
     * stopped, so no record is applied twice out of order and none is skipped.
     */
    private void run() {
        Map<TopicPartition, Long> next = new HashMap<>();
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.CLIENT_ID_CONFIG, "trigger-gateway-directory"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(topics.registryChanges(), topics.nodes())) {
                    c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("the directory topics have no partitions yet");
                }
                c.assign(partitions);
                for (TopicPartition tp : partitions) {
                    if (next.containsKey(tp)) {
                        c.seek(tp, next.get(tp));
                    } else {
                        c.seekToBeginning(List.of(tp));
                    }
                }
                Map<TopicPartition, Long> end = caughtUp ? Map.of() : c.endOffsets(partitions, Duration.ofSeconds(30));
                follow(c, end, next);
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("directory reader failed, resuming from where it stopped: %s", e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, String> c, Map<TopicPartition, Long> startEnd, Map<TopicPartition, Long> next) {
        while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                LOG.debugf("directory record %s %s", r.topic(), r.key());
                try {
                    apply(r.topic(), r.key(), r.value());
                } catch (RuntimeException e) {
                    LOG.warnf("skipping an unreadable %s record %s: %s", r.topic(), r.key(), e.getMessage());
                }
                next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
            if (!caughtUp && startEnd.entrySet().stream().allMatch(e -> c.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue())) {
                caughtUp = true;
                LOG.infof("directory caught up: %d AccessKeys, %d nodes", directory.accessKeys.size(), directory.nodes.size());
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void apply(String topic, String key, String value) throws RuntimeException {
        if (key == null) {
            return;
        }
        if (topic.equals(topics.nodes())) {
            long id = Long.parseLong(key);
            if (value == null) {
                directory.nodes.remove(id);
            } else {
                JsonNode n = read(value);
                directory.nodes.put(id, new Directory.Node(id, n.path("workspaceId").asLong(), n.path("tenantId").asLong(),
                        n.path("env").asText(), n.path("type").asText(), n.path("frozen").asBoolean()));
            }
            return;
        }
        int slash = key.indexOf('/');
        String kind = key.substring(0, slash);
        String id = key.substring(slash + 1);
        JsonNode d = value == null ? null : read(value).path("data");
        switch (kind) {
            case "access-key" -> {
                if (d == null) {
                    directory.accessKeys.remove(id);
                } else {
                    directory.accessKeys.put(id, new Directory.AccessKey(id, d.path("tenantId").asLong(), d.path("userId").asLong(),
                            d.path("enabled").asBoolean(), d.path("secretKeyId").asText(), d.path("sealedSecret").asText()));
                }
            }
            case "tenant" -> {
                if (d == null) {
                    directory.tenants.remove(Long.parseLong(id));
                } else {
                    directory.tenants.put(Long.parseLong(id), new Directory.Tenant(Long.parseLong(id), d.path("accountId").asText(),
                            d.path("httpTriggerNodesAllowed").asBoolean()));
                }
            }
            case "user" -> {
                if (d == null) {
                    directory.users.remove(Long.parseLong(id));
                } else {
                    directory.users.put(Long.parseLong(id), new Directory.User(Long.parseLong(id), d.path("tenantId").asLong(), d.path("kind").asText()));
                }
            }
            case "member" -> {
                if (d == null) {
                    directory.members.remove(id);
                } else {
                    directory.members.put(id, new Directory.Member(d.path("workspaceId").asLong(), d.path("userId").asLong(),
                            d.path("mayTrigger").asBoolean()));
                }
            }
            case "workspace" -> {
                if (d == null) {
                    directory.workspaces.remove(Long.parseLong(id));
                } else {
                    directory.workspaces.put(Long.parseLong(id), new Directory.Workspace(Long.parseLong(id), d.path("tenantId").asLong()));
                }
            }
            case "grant" -> {
                if (d == null) {
                    directory.grants.remove(Long.parseLong(id));
                } else {
                    List<Long> nodeIds = new ArrayList<>();
                    d.path("nodeIds").forEach(n -> nodeIds.add(n.asLong()));
                    directory.grants.put(Long.parseLong(id), new Directory.Grant(Long.parseLong(id), d.path("tenantId").asLong(),
                            d.path("workspaceId").asLong(), d.path("granteeUserId").asLong(), List.copyOf(nodeIds),
                            Instant.parse(d.path("expiresAt").asText())));
                }
            }
            default -> {
                // regions and event buses do not matter to the gateway
            }
        }
    }

    private JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /**
     * Creates the topics the gateway reads and writes when they do not exist yet (a consumer that
     * starts on a missing topic would see no partitions), with the same layout the owning services
     * use: compacted single-partition feeds, three partitions for commands and outcomes.
     */
    private void ensureTopics() throws InterruptedException {
        Map<String, Integer> partitions = Map.of(topics.registryChanges(), 1, topics.nodes(), 1,
                topics.triggerCommands(), 3, topics.triggerOutcomes(), 3, topics.accessKeyUsage(), 3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            for (var e : partitions.entrySet()) {
                NewTopic topic = new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty());
                if (e.getValue() == 1) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                    if (!(x.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + e.getKey(), x.getCause());
                    }
                } catch (java.util.concurrent.TimeoutException x) {
                    throw new IllegalStateException("Kafka did not answer while creating " + e.getKey(), x);
                }
            }
        }
    }
}
