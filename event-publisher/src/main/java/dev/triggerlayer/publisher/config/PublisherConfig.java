package dev.triggerlayer.publisher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of the event publisher. */
@ConfigMapping(prefix = "publisher")
public interface PublisherConfig {

    /** Keys that seal the subscriptions' HMAC secrets in the database. */
    KeyRing atRest();

    /** Kafka topics the publisher reads. */
    Topics topics();

    /** The per-tenant event buses the publisher writes. */
    Bus bus();

    /** The local copy of the registry (tenants, workspaces, buses) rebuilt from its change feed. */
    Directory directory();

    /** Delivery of events to subscriptions' targets. */
    Delivery delivery();

    /** How subscriptions are kept in step across replicas. */
    Subscriptions subscriptions();


    /**
     * AES-256 keys, each named by an id, one of them active for sealing. Rotation: add a key and
     * make it active; secrets sealed under an older key keep opening while that key stays here.
     */
    interface KeyRing {
        /** Id of the key that seals new secrets. */
        String active();

        /** Key id to base64 of 32 random bytes. */
        Map<String, String> keys();
    }

    interface Topics {
        /** Task instance status changes from the scheduler, keyed by task instance id. */
        @WithDefault("scheduler.instance-changes")
        String instanceChanges();

        /** Workflow (DAG) instance status changes from the scheduler, keyed by DAG instance id. */
        @WithDefault("scheduler.dag-changes")
        String dagChanges();

        /**
         * Operator actions on task instances (freeze, kill, rerun, ...) and the expiry job's
         * deletions, from the scheduler, keyed by workspace id.
         */
        @WithDefault("scheduler.instance-operations")
        String instanceOperations();

        /**
         * The registry's workspace events (a deleted workspace becomes {@code project-deleted}),
         * keyed by tenant id; read in the same consumer group as the scheduler's topics.
         */
        @WithDefault("registry.workspace-events")
        String workspaceEvents();
        /** Fired alert rules from the scheduler (workbench-monitor-alert, docs/alerts.md), keyed by rule id. */
        @WithDefault("scheduler.alerts")
        String alerts();

        /** The registry's compacted change feed, replayed from its beginning at every start. */
        @WithDefault("registry.changes")
        String registryChanges();

        /**
         * Consumer group that turns scheduler records into events. Replicas share it, so each
         * scheduler partition is turned into events by one replica at a time.
         */
        @WithDefault("event-publisher")
        String consumerGroup();
    }

    interface Bus {
        /**
         * Bus that a tenant without any bus record in the registry publishes to, and that a
         * subscription reads unless it names another one.
         */
        @WithDefault("default")
        String defaultName();

        /**
         * Whether a tenant without bus records still gets its events on the default bus. When
         * false, such a tenant's events are dropped until the registry lists a bus for it.
         */
        @WithDefault("true")
        boolean implicitDefault();

        /** Partitions of a bus topic created by the publisher (events of one instance share one). */
        @WithDefault("3")
        @Min(1)
        int partitions();

        /** Replication factor of topics the publisher creates; the broker's default when unset. */
        Optional<Integer> replicationFactor();

        /** How long a bus topic keeps events, which bounds how far back a replay can reach. */
        @WithDefault("7d")
        Duration retention();

        /** Published as {@code aliyunpublishaddr} (the publisher's address); omitted when unset. */
        Optional<String> publishAddr();
    }

    interface Directory {
        /** How long start-up waits for the registry feed to be read to its end. */
        @WithDefault("60s")
        Duration startupTimeout();

        /**
         * How long a change for an unknown workspace or tenant waits for the directory to read
         * the registry feed to its current end before the change is dropped as unknown.
         */
        @WithDefault("10s")
        Duration catchUpTimeout();
    }

    interface Delivery {
        /** Attempts per event and subscription (the first included) before it is dead-lettered. */
        @WithDefault("8")
        @Min(1)
        int maxAttempts();

        /** Ceiling of the first retry's random delay; each later ceiling doubles (full jitter). */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Largest ceiling of a retry delay. */
        @WithDefault("2m")
        Duration maxBackoff();

        /** TCP connect timeout of an HTTP delivery. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time an HTTP endpoint has to answer one delivery. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Records a delivery lane takes from its bus per poll. */
        @WithDefault("20")
        @Min(1)
        int maxBatch();

        /**
         * Longest a lane may spend on one poll's records before Kafka considers it stuck. Must
         * exceed the worst case of {@code max-batch} events each exhausting its retries.
         */
        @WithDefault("30m")
        Duration maxPollInterval();

        /**
         * Address blocks (CIDR, e.g. {@code 127.0.0.0/8}) HTTP targets may use although they are
         * loopback, private or link-local; none by default, so no tenant reaches the cluster's own
         * services or the cloud metadata address. For a local run or tests only.
         */
        Optional<List<String>> allowedPrivateTargets();

        /** A re-drive still running after this long (its replica died) may be started again. */
        @WithDefault("10m")
        Duration redriveStaleAfter();
    }

    interface Subscriptions {
        /** How often a replica reloads subscriptions changed through another replica. */
        @WithDefault("10s")
        Duration syncInterval();
    }
}
