package dev.triggerlayer.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Configuration of the scheduler. */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {

    /** Operator access to the JSON API. */
    Admin admin();

    /** Demo data for the one-command local run. */
    Demo demo();

    /** HTTP trigger semantics. */
    Trigger trigger();

    /** The outbox relay. */
    Outbox outbox();

    /** Instance generation. */
    Generation generation();

    /** Kafka topics the scheduler writes (through its outbox) and reads. */
    Topics topics();

    interface Admin {
        /** Bearer token every {@code /api} call must present; no default, it comes from a Secret. */
        String token();
    }

    interface Demo {
        /** Creates and deploys the demo workflow at start when it does not exist yet. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Trigger {
        /** How long an early trigger is retained before it is dropped (reference 001: 24 hours). */
        @WithDefault("24h")
        Duration retention();
    }

    interface Outbox {
        /** Whether PostgreSQL NOTIFY wakes the relay at once (polling alone when false). */
        @WithDefault("true")
        boolean listen();

        /** Polling interval of the relay when no NOTIFY woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most rows published in one relay pass. */
        @WithDefault("500")
        int batchSize();
    }

    interface Generation {
        /** How often the T+1 generation looks for workflows whose next day is not generated yet. */
        @WithDefault("30m")
        Duration interval();
    }

    interface Topics {
        /** Trigger commands from the gateway, keyed by instance. */
        @WithDefault("scheduler.trigger-commands")
        String triggerCommands();

        /** Outcomes of trigger commands, keyed by command id. */
        @WithDefault("scheduler.trigger-outcomes")
        String triggerOutcomes();

        /** Task instance status changes, keyed by task instance id (so ordered per instance). */
        @WithDefault("scheduler.instance-changes")
        String instanceChanges();

        /** Workflow (DAG) instance status changes, keyed by DAG instance id. */
        @WithDefault("scheduler.dag-changes")
        String dagChanges();

        /** Compacted directory of deployed nodes (node id → workspace, tenant, type, frozen) for gateways. */
        @WithDefault("scheduler.nodes")
        String nodes();
    }
}
