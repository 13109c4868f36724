package dev.triggerlayer.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Configuration of the tenant registry. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Keys that seal AccessKey secrets in the database. */
    KeyRing atRest();

    /** Keys that seal AccessKey secrets on the change feed, shared with the gateways. */
    KeyRing feed();

    /** The compacted change feed. */
    Feed changeFeed();

    /** Workspace events for the event publisher (a deleted workspace: {@code project-deleted}). */
    WorkspaceEvents workspaceEvents();

    /** Demo data for the one-command local run. */
    Demo demo();

    /**
     * The scheduler, which holds extension checks (docs/extensions.md): a workspace deletion waits
     * for the tenant's {@code delete-project} extensions. Unset: deletions are not checked.
     */
    Scheduler scheduler();

    interface Scheduler {
        /** The scheduler's API, e.g. {@code http://scheduler-service:8081}. */
        Optional<String> url();

        /** Its token with the {@code extension-holds} role (secrets file). */
        Optional<String> token();

        /** How often held deletions are looked at. */
        @io.smallrye.config.WithDefault("2s")
        java.time.Duration pollInterval();
    }

    /**
     * A set of AES-256 keys, each named by an id, with one active key for sealing. Rotation:
     * add a new key, make it active; values sealed under older keys keep opening as long as
     * their key stays in the ring.
     */
    interface KeyRing {
        /** The key id used to seal new values. */
        String active();

        /** Key id to base64 of 32 random bytes. */
        Map<String, String> keys();
    }

    interface Feed {
        /** Compacted topic carrying the latest state of every registry entity. */
        @WithDefault("registry.changes")
        String topic();

        /** How often the relay looks for unpublished changes when no notification woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most outbox rows published in one relay pass. */
        @WithDefault("500")
        @Min(1)
        int batchSize();
    }

    interface WorkspaceEvents {
        /** Topic (delete policy, contracts/registry-feed.md#workspace-events) written through the outbox. */
        @WithDefault("registry.workspace-events")
        String topic();
    }

    interface Demo {
        /** Loads tenants A and B, their users, AccessKeys and workspaces at start (idempotent). */
        @WithDefault("false")
        boolean enabled();

        /** Where the demo AccessKeys are written (secrets are shown only once). */
        Optional<String> credentialsFile();
    }
}
