package dev.triggerlayer.kit.kafka;

import java.util.List;
import java.util.Map;

/**
 * One topic as {@code contracts/topics.json} declares it. {@code federated}: MirrorMaker 2 copies
 * it to every other region, as {@code <source region>.<name>} (docs/federation.md).
 */
public record TopicSpec(String name, String owner, List<String> readers, int partitions, String cleanupPolicy,
                        Map<String, String> config, boolean federated) {

    public boolean compacted() {
        return "compact".equals(cleanupPolicy);
    }

    /** Every topic setting the owner creates the topic with ({@code cleanup.policy} included). */
    public Map<String, String> settings() {
        Map<String, String> all = new java.util.TreeMap<>(config);
        all.put("cleanup.policy", cleanupPolicy);
        return all;
    }
}
