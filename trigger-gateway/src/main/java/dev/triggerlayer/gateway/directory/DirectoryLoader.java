package dev.triggerlayer.gateway.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.kit.kafka.CompactedTopicReader;
import dev.triggerlayer.kit.kafka.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the registry's change feed and the scheduler's node directory from their beginning into
 * the {@link Directory}, then follows them (the kit's {@link CompactedTopicReader}: no consumer
 * group, every replica reads every partition, and a failure resumes where it stopped). Readiness
 * waits until the replay reached the end offsets seen at start.
 */
@ApplicationScoped
public class DirectoryLoader {

    private static final Logger LOG = Logger.getLogger(DirectoryLoader.class);

    private final Directory directory;
    private final GatewayConfig.Topics topics;
    private final ObjectMapper json;
    private final CompactedTopicReader reader;
    private final java.util.Set<String> nodeTopics = new java.util.LinkedHashSet<>();

    public DirectoryLoader(Directory directory, GatewayConfig config, ObjectMapper json, KafkaSettings kafka, Clock clock) {
        this.directory = directory;
        this.topics = config.topics();
        this.json = json;
        nodeTopics.add(topics.nodes());
        nodeTopics.addAll(config.federation().nodeTopics().orElse(List.of()));
        List<String> all = new java.util.ArrayList<>(List.of(topics.registryChanges()));
        all.addAll(nodeTopics);
        this.reader = new CompactedTopicReader("directory-loader", () -> kafka.assignedConsumer("trigger-gateway-directory"),
                all, this::apply, clock);
        reader.initialLoad().thenRun(() -> LOG.infof("directory caught up: %d AccessKeys, %d nodes",
                directory.accessKeys.size(), directory.nodes.size()));
    }

    void start(@Observes @jakarta.annotation.Priority(20) StartupEvent event) {
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        reader.stop();
    }

    /** Whether the local copy has caught up with the feeds as they were at start. */
    public boolean caughtUp() {
        return reader.loaded();
    }

    /** Null while reading; the last error while the reader reconnects. */
    public String failure() {
        return reader.failure();
    }

    void apply(String topic, String key, String value) throws RuntimeException {
        if (key == null) {
            return;
        }
        if (nodeTopics.contains(topic)) {
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
                            d.path("httpTriggerNodesAllowed").asBoolean(), d.path("homeRegion").asText("")));
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
                            // No allNodes (an older or damaged record) covers only the listed nodes: none when there is no list.
                            d.path("workspaceId").asLong(), d.path("granteeUserId").asLong(), List.copyOf(nodeIds),
                            d.path("allNodes").asBoolean(false),
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
}
