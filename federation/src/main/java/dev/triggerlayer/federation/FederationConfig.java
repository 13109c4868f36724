package dev.triggerlayer.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MirrorMaker 2 configuration of a federation: every ordered pair of the {@code clusters}
 * (the region ids) is a flow copying the federated topics of {@code contracts/topics.json}
 * ({@code "federation": "every-region"}), with the prefixed {@code DefaultReplicationPolicy}
 * (docs/federation.md). Settings given in the file win over these defaults, except the flows'
 * allow-list, which is always the declared one.
 */
public final class FederationConfig {

    /** The replication factors of MirrorMaker 2's own topics. */
    static final List<String> INTERNAL_TOPIC_FACTORS = List.of("offset-syncs.topic.replication.factor", "heartbeats.topic.replication.factor",
            "checkpoints.topic.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor",
            "config.storage.replication.factor");

    /** What this system needs of MirrorMaker 2 that its defaults do not give. */
    static final Map<String, String> DEFAULTS = defaults();

    private FederationConfig() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("replication.policy.class", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
        d.put("replication.policy.separator", ".");
        // A region's new topic (a gateway's first federated command) is copied within seconds, not the default 10 minutes.
        d.put("refresh.topics.interval.seconds", "5");
        // Consumer offsets are not translated: the readers of copies track their own offsets (no group is checkpointed).
        d.put("groups", "^$");
        d.put("sync.group.offsets.enabled", "false");
        // Topic ACLs are each region's own (least privilege per region, deploy/kubernetes).
        d.put("sync.topic.acls.enabled", "false");
        return d;
    }

    /** The topics to replicate, as MirrorMaker 2's allow-list (a regex of their exact names; topic names have no other regex character than '.'). */
    public static String topicsAllowList() {
        return String.join("|", federatedTopics().stream().map(name -> name.replace(".", "\\.")).toList());
    }

    /**
     * The names of the federated topics, in declaration order. Read here rather than through the
     * service kit's TopicCatalog: the kit brings Quarkus onto MirrorMaker's classpath.
     */
    public static List<String> federatedTopics() {
        try (InputStream in = FederationConfig.class.getResourceAsStream("/triggerlayer/topics.json")) {
            if (in == null) {
                throw new IllegalStateException("triggerlayer/topics.json is missing from the federation jar");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<String> out = new ArrayList<>();
            root.path("topics").forEach(t -> {
                if ("every-region".equals(t.path("federation").asText())) {
                    out.add(t.path("name").asText());
                }
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The complete configuration: the defaults, then the file's settings, then one flow per ordered
     * pair of clusters with the declared allow-list.
     */
    public static Map<String, String> effective(Map<String, String> file) {
        String clusters = file.get("clusters");
        if (clusters == null || clusters.isBlank()) {
            throw new IllegalArgumentException("clusters is required: the region ids, comma-separated");
        }
        List<String> aliases = List.of(clusters.trim().split("\\s*,\\s*"));
        if (aliases.size() < 2) {
            throw new IllegalArgumentException("a federation needs at least two clusters, got " + aliases);
        }
        for (String alias : aliases) {
            if (!file.containsKey(alias + ".bootstrap.servers")) {
                throw new IllegalArgumentException(alias + ".bootstrap.servers is required");
            }
        }
        Map<String, String> out = new LinkedHashMap<>(DEFAULTS);
        out.putAll(file);
        // One replication factor for the copies and MirrorMaker's own topics, unless each is given (a one-broker region: 1).
        String factor = file.get("replication.factor");
        if (factor != null) {
            for (String internal : INTERNAL_TOPIC_FACTORS) {
                out.putIfAbsent(internal, factor);
            }
        }
        String allow = topicsAllowList();
        for (String source : aliases) {
            for (String target : aliases) {
                if (!source.equals(target)) {
                    out.putIfAbsent(source + "->" + target + ".enabled", "true");
                    out.put(source + "->" + target + ".topics", allow);
                }
            }
        }
        return out;
    }

    /** Whether a setting holds a secret (masked when printed). */
    static boolean secret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("sasl.jaas.config") || k.contains("secret") || k.endsWith(".key");
    }
}
