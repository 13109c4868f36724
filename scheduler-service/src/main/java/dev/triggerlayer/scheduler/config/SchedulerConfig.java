package dev.triggerlayer.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.Optional;

/** Configuration of the scheduler. */
@ConfigMapping(prefix = "scheduler")
public interface SchedulerConfig {

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

    /** Running shell nodes on this replica. */
    Runner runner();

    /** Deleting old instances. */
    Expiry expiry();

    /** Extension checks (docs/extensions.md). */
    Extensions extensions();

    /** Alert rules (docs/alerts.md). */
    Alerts alerts();

    interface Alerts {
        /** How often the rules are evaluated against the instances and resource groups. */
        @WithDefault("30s")
        Duration interval();

        /**
         * How far back a pass looks for failures, successes and deadlines it has not alerted on
         * yet (never before a rule's creation); covers a scheduler that was down that long.
         */
        @WithDefault("24h")
        Duration lookback();

        /** Most instances one alert lists; more fired in one pass make several alerts. */
        @WithDefault("100")
        @Min(1)
        @jakarta.validation.constraints.Max(1000)
        int maxInstancesPerAlert();
    }

    /** Triggers sent to another region's gateway for tenants homed here (docs/federation.md). */
    Federation federation();

    interface Federation {
        /**
         * This scheduler's region id (a region of the registry). When set, a federated command
         * naming another home region is not applied here (it was not meant for this region);
         * unset, every command is applied (one region).
         */
        Optional<String> region();
    }

    interface Extensions {
        /**
         * How long a check waits for an extension that sets no timeout of its own; then the
         * extension's timeout result decides (FAIL unless it says OK).
         */
        @WithDefault("1h")
        Duration defaultCheckTimeout();

        /** How often checks past their deadline are resolved. */
        @WithDefault("5s")
        Duration timeoutSweep();
    }

    interface Runner {
        /**
         * Whether this replica runs shell scripts. When false it never claims a shell instance:
         * such instances wait in status 3 (WaitResource) until a replica that runs scripts claims
         * them, so a deployment can keep script execution on dedicated replicas.
         */
        @WithDefault("true")
        boolean shellEnabled();

        /**
         * Name of this replica in run leases. Give each replica a stable one (the pod name) so a
         * restarted replica resolves its own interrupted runs at once; a random one otherwise,
         * and the interrupted runs are resolved when their lease expires.
         */
        Optional<String> replicaId();

        /** Most scripts this replica runs at once, whatever the resource groups allow. */
        @WithDefault("8")
        @Min(1)
        int maxConcurrent();

        /** Parent of the runs' working directories (one directory per instance and attempt). */
        @WithDefault("${java.io.tmpdir}/triggerlayer-runs")
        String workDir();

        /** Keep a run's working directory after it ended (for debugging); deleted by default. */
        @WithDefault("false")
        boolean keepWorkDirs();

        /**
         * The unprivileged user scripts run as when the scheduler runs as root ({@code nobody} when
         * unset); a script never runs as root. A scheduler that is not root cannot switch users:
         * its scripts run as itself, and setting this to another user stops it at start
         * (docs/security.md, "Shell nodes").
         */
        Optional<String> runAs();

        /**
         * The network a script sees: {@code host} (the replica's own) or {@code none} (a private
         * network namespace with no interface but loopback, so no broker, database or admin API is
         * reachable). {@code none} needs the scheduler to run as root.
         */
        @WithDefault("host")
        @jakarta.validation.constraints.Pattern(regexp = "host|none")
        String network();

        /** The shell that runs a node's script file. */
        @WithDefault("/bin/sh")
        String shell();

        /** Time limit of a run when the node sets none; past it the process tree is killed and the run fails. */
        @WithDefault("1h")
        Duration defaultTimeout();

        /** Most bytes of a run's output kept as its log: the first three quarters and the last quarter of the limit. */
        @WithDefault("262144")
        @Min(1024)
        int outputLimit();

        /**
         * Extra runs an instance gets when a run is lost with its replica (killed, crashed), on top
         * of the node's own retries, unless the node sets {@code lostRetries}: a crash alone never
         * fails work. A run whose process never started is dispatched again without counting.
         */
        @WithDefault("1")
        @Min(0)
        @jakarta.validation.constraints.Max(10)
        int lostRetries();

        /** How long a run's lease lasts without a heartbeat; then another replica may resolve the run. */
        @WithDefault("30s")
        Duration lease();

        /** How often the running replica renews its runs' leases (well below the lease). */
        @WithDefault("5s")
        Duration heartbeat();

        /** How often the dispatcher looks for waiting instances when no NOTIFY woke it. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Expiry {
        /** Instances whose scheduled time is older than this are deleted. */
        @WithDefault("30d")
        Duration retention();

        /** How often the expiry job runs. */
        @WithDefault("1h")
        Duration interval();

        /** Most instances deleted in one transaction. */
        @WithDefault("500")
        @Min(1)
        int batchSize();
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
        @Min(1)
        int batchSize();
    }

    interface Generation {
        /** How often the T+1 generation looks for workflows whose next day is not generated yet. */
        @WithDefault("30m")
        Duration interval();
    }

    interface Topics {
        /** The registry's change feed: the scheduler reads tenants' editions from it (extensions need Enterprise). */
        @WithDefault("registry.changes")
        String registryChanges();

        /** Trigger commands from the gateway, keyed by instance. */
        @WithDefault("scheduler.trigger-commands")
        String triggerCommands();

        /** What the command consumer subscribes to: the local commands and the copies of other regions' federated ones. */
        @WithDefault("scheduler[.]trigger-commands|[A-Za-z0-9-]+[.]federation[.]trigger-commands")
        String triggerCommandsPattern();

        /** Outcomes of other regions' federated commands, keyed by command id; copied to those regions by MirrorMaker 2. */
        @WithDefault("federation.trigger-outcomes")
        String federatedOutcomes();

        /** Outcomes of trigger commands, keyed by command id. */
        @WithDefault("scheduler.trigger-outcomes")
        String triggerOutcomes();

        /** Task instance status changes, keyed by task instance id (so ordered per instance). */
        @WithDefault("scheduler.instance-changes")
        String instanceChanges();

        /** Workflow (DAG) instance status changes, keyed by DAG instance id. */
        @WithDefault("scheduler.dag-changes")
        String dagChanges();

        /** Operator actions on instances and expiry batches, keyed by workspace id. */
        @WithDefault("scheduler.instance-operations")
        String instanceOperations();

        /** Fired alert rules, keyed by rule id (docs/alerts.md). */
        @WithDefault("scheduler.alerts")
        String alerts();

        /** Compacted directory of deployed nodes (node id → workspace, tenant, type, frozen) for gateways. */
        @WithDefault("scheduler.nodes")
        String nodes();
    }
}
