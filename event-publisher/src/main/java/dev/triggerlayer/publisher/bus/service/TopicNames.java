package dev.triggerlayer.publisher.bus.service;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Topic naming (contract: {@code contracts/publisher-topics.md}). Everything of tenant T lives
 * under {@code tenant.<T>.}, so one prefixed ACL per tenant isolates it on the broker. The
 * trailing dot matters: {@code tenant.1.} is not a prefix of tenant 10's {@code tenant.10.}.
 */
public final class TopicNames {

    /** Kafka's own limit and alphabet for topic names. */
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    /** Bus names as the registry accepts them. */
    private static final Pattern BUS_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private TopicNames() {
    }

    /** Prefix of every topic of the tenant; the unit of broker ACLs. */
    public static String tenantPrefix(long tenantId) {
        return "tenant." + tenantId + ".";
    }

    /** The topic carrying every event of the tenant on the named bus. */
    public static String bus(long tenantId, String busName) {
        if (!isValidBusName(busName)) {
            throw new IllegalArgumentException("not a valid bus name: " + busName);
        }
        return tenantPrefix(tenantId) + "bus." + busName;
    }

    /** Events that exhausted their delivery attempts, for every subscription of the tenant. */
    public static String deadLetters(long tenantId) {
        return tenantPrefix(tenantId) + "dlq";
    }

    public static boolean belongsTo(String topic, long tenantId) {
        return topic != null && topic.startsWith(tenantPrefix(tenantId));
    }

    public static boolean isValidBusName(String name) {
        return name != null && BUS_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /**
     * Why a subscription of the tenant may not forward to {@code topic}, or empty if it may. The
     * topic must be the tenant's own, and not one the publisher writes itself: forwarding into a
     * bus would feed the events back into the lanes that read it.
     */
    public static Optional<String> targetTopicProblem(long tenantId, String topic) {
        if (topic == null || topic.isBlank()) {
            return Optional.of("is required for a KAFKA target");
        }
        if (!LEGAL.matcher(topic).matches()) {
            return Optional.of("must be 1-249 characters of letters, digits, '.', '_' and '-'");
        }
        String prefix = tenantPrefix(tenantId);
        if (!topic.startsWith(prefix) || topic.length() == prefix.length()) {
            return Optional.of("must be a topic of tenant " + tenantId + ", i.e. start with '" + prefix + "'");
        }
        if (topic.startsWith(prefix + "bus.") || topic.equals(deadLetters(tenantId))) {
            return Optional.of("is reserved for the publisher (buses and dead letters)");
        }
        return Optional.empty();
    }
}
