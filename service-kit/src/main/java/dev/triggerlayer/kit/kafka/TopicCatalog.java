package dev.triggerlayer.kit.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one declaration of every topic ({@code contracts/topics.json}, packaged into this jar):
 * owners create their topics with the declared settings; readers only wait for them to exist.
 */
public final class TopicCatalog {

    private static final TopicCatalog INSTANCE = load();

    private final Map<String, TopicSpec> topics;

    private TopicCatalog(Map<String, TopicSpec> topics) {
        this.topics = topics;
    }

    public static TopicCatalog get() {
        return INSTANCE;
    }

    public Collection<TopicSpec> all() {
        return topics.values();
    }

    /**
     * The declaration of {@code name}; a federated topic's copy from another region
     * ({@code <region>.<topic>}) has its original's (it is read, never written, by the services).
     */
    public TopicSpec spec(String name) {
        TopicSpec spec = topics.get(name);
        if (spec == null) {
            spec = copyOf(name);
        }
        if (spec == null) {
            throw new IllegalStateException("topic " + name + " is not declared in contracts/topics.json");
        }
        return spec;
    }

    /**
     * Checks that a service's configuration names only declared topics in the role it plays:
     * a drifted name fails the start rather than writing to an undeclared topic.
     */
    public void checkRoles(String service, Collection<String> writes, Collection<String> reads) {
        for (String w : writes) {
            if (!spec(w).owner().equals(service)) {
                throw new IllegalStateException(service + " writes " + w + ", which contracts/topics.json gives to " + spec(w).owner());
            }
        }
        for (String r : reads) {
            if (!spec(r).readers().contains(service)) {
                throw new IllegalStateException(service + " reads " + r + ", which contracts/topics.json does not list it as a reader of");
            }
        }
    }

    /** The federated topic {@code name} is a copy of ({@code <region>.<topic>}), or null. */
    private TopicSpec copyOf(String name) {
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        TopicSpec original = topics.get(name.substring(dot + 1));
        return original != null && original.federated() ? original : null;
    }

    /** The topics MirrorMaker 2 replicates between regions. */
    public List<TopicSpec> federated() {
        return topics.values().stream().filter(TopicSpec::federated).toList();
    }

    /** The topics {@code service} owns. */
    public List<TopicSpec> ownedBy(String service) {
        return topics.values().stream().filter(t -> t.owner().equals(service)).toList();
    }

    /**
     * Creates the given topics (an owner's) with their declared settings when they do not exist.
     * Blocking: call it at start or from a worker, never from an event loop.
     */
    public static void ensure(Admin admin, Collection<TopicSpec> wanted, Optional<Short> replicationFactor) {
        for (TopicSpec t : wanted) {
            NewTopic topic = new NewTopic(t.name(), Optional.of(t.partitions()), replicationFactor).configs(t.settings());
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the topic " + t.name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer while creating " + t.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating " + t.name(), e);
            }
        }
    }

    /** The topics of {@code names} that do not exist yet (empty once all do). */
    public static Set<String> missing(Admin admin, Collection<String> names, Duration timeout) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<String> missing = new java.util.TreeSet<>(names);
            missing.removeAll(existing);
            return missing;
        } catch (ExecutionException | TimeoutException e) {
            return new java.util.TreeSet<>(names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new java.util.TreeSet<>(names);
        }
    }

    /** Waits until every topic of {@code names} exists (their owners create them). */
    public static void await(Admin admin, Collection<String> names, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> missing = missing(admin, names, Duration.ofSeconds(10));
        while (!missing.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topics " + missing + " do not exist after " + timeout + " (their owners create them)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + missing, e);
            }
            missing = missing(admin, names, Duration.ofSeconds(10));
        }
    }

    private static TopicCatalog load() {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (InputStream in = TopicCatalog.class.getResourceAsStream("/triggerlayer/topics.json")) {
            if (in == null) {
                throw new IllegalStateException("triggerlayer/topics.json is missing from the service kit");
            }
            JsonNode root = json.readTree(in);
            Map<String, TopicSpec> topics = new LinkedHashMap<>();
            for (JsonNode t : root.path("topics")) {
                List<String> readers = new ArrayList<>();
                t.path("readers").forEach(r -> readers.add(r.asText()));
                Map<String, String> config = new TreeMap<>();
                t.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
                TopicSpec spec = new TopicSpec(t.path("name").asText(), t.path("owner").asText(), List.copyOf(readers),
                        t.path("partitions").asInt(), t.path("cleanupPolicy").asText("delete"), Map.copyOf(config),
                        "every-region".equals(t.path("federation").asText()));
                if (topics.put(spec.name(), spec) != null) {
                    throw new IllegalStateException("topic " + spec.name() + " is declared twice in contracts/topics.json");
                }
            }
            return new TopicCatalog(Map.copyOf(topics));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
