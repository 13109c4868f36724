package dev.triggerlayer.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Min;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of the trigger gateway. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Shown as {@code HostId} in error bodies: the endpoint host clients put in their SDK config. */
    @WithDefault("dataworks.local")
    String hostId();

    /**
     * The endpoint names ({@code host[:port]}, or {@code host:*} for any port) that V3 requests may
     * be signed for; the host id alone when not set. A request signed for another host is refused.
     */
    Optional<List<String>> endpoints();

    /** Accepted distance between a request's signing time and the gateway's clock (±). */
    @WithDefault("15m")
    Duration timestampWindow();

    /** Largest request body accepted; larger ones are refused before any work. */
    @WithDefault("65536")
    @Min(1024)
    int maxBodyBytes();

    /** How long a trigger request waits for the scheduler's outcome before a retryable error. */
    @WithDefault("10s")
    Duration outcomeTimeout();

    /** Per-AccessKey rate limit (a token bucket per gateway replica). */
    RateLimit rateLimit();

    /** Limits on failed authentications (per AccessKey id and per client address, per replica). */
    FailedAuth failedAuth();

    /** Keys that open AccessKey secrets on the registry's change feed (the registry's feed key ring). */
    FeedKeys registryFeed();

    /** The scheduler's query API, for GetTaskInstance and ListTaskInstances. */
    Scheduler scheduler();

    /** Kafka topics. */
    Topics topics();

    /** Regions federated over MirrorMaker 2: where triggers and queries of tenants homed elsewhere go (docs/federation.md). */
    Federation federation();

    interface Federation {
        /** This gateway's region id (a region of the registry); unset: every tenant is served by this region. */
        Optional<String> region();

        /** How long a trigger for a tenant homed in another region waits for its outcome (replication both ways adds to it). */
        @WithDefault("30s")
        Duration outcomeTimeout();

        /** Where this gateway writes triggers for tenants homed elsewhere (MirrorMaker 2 copies it to every region). */
        @WithDefault("federation.trigger-commands")
        String commandsTopic();

        /** The topic whose copies from the other regions ({@code <region>.<name>}) carry those triggers' outcomes. */
        @WithDefault("federation.trigger-outcomes")
        String outcomesTopic();

        /** Node directories besides {@code gateway.topics.nodes}: other home regions' copies ({@code <region>.scheduler.nodes}). */
        Optional<List<String>> nodeTopics();

        /** The other regions, by region id. */
        Map<String, Peer> peers();
    }

    interface Peer {
        /** The region's scheduler query API, for GetTaskInstance and ListTaskInstances of tenants homed there. */
        Optional<String> schedulerUrl();

        /** Its read-only query token (a secret: from the secrets file, never the command line). */
        Optional<String> schedulerToken();
    }

    interface RateLimit {
        /** Sustained requests per second per AccessKey. */
        @WithDefault("50")
        @Positive
        double permitsPerSecond();

        /** Requests an AccessKey may send at once after being idle. */
        @WithDefault("100")
        @Min(1)
        int burst();

        /** Other limits for some AccessKeys ({@code gateway.rate-limit.keys."<AccessKeyId>".*}): a batch client, a noisy one. */
        Map<String, KeyLimit> keys();

        interface KeyLimit {
            /** Sustained requests per second of this AccessKey. */
            @Positive
            double permitsPerSecond();

            /** Requests this AccessKey may send at once after being idle. */
            @Min(1)
            int burst();
        }
    }

    interface FailedAuth {
        /** Failed authentications one client address may make at once. */
        @WithDefault("20")
        @Min(1)
        int perAddressBurst();

        /** Failed authentications per second one client address regains. */
        @WithDefault("1")
        @Positive
        double perAddressPerSecond();

        /** Failed authentications naming one AccessKey id that may happen at once (from all addresses). */
        @WithDefault("100")
        @Min(1)
        int perKeyBurst();

        /** Failed authentications per second one AccessKey id regains. */
        @WithDefault("5")
        @Positive
        double perKeyPerSecond();

        /** Most addresses and key ids remembered at once (least recently used are forgotten first). */
        @WithDefault("100000")
        @Min(100)
        long maxTracked();
    }

    interface FeedKeys {
        /** Key id to base64 of the 32-byte AES key. */
        Map<String, String> keys();
    }

    interface Scheduler {
        /** Base URL of the scheduler service ({@code SCHEDULER_URL}). */
        String url();

        /** The scheduler's read-only query token ({@code SCHEDULER_QUERY_TOKEN}): it can read instances, nothing else. */
        String token();
    }

    interface Topics {
        @WithDefault("registry.changes")
        String registryChanges();

        @WithDefault("scheduler.nodes")
        String nodes();

        @WithDefault("scheduler.trigger-commands")
        String triggerCommands();

        @WithDefault("scheduler.trigger-outcomes")
        String triggerOutcomes();

        @WithDefault("registry.access-key-usage")
        String accessKeyUsage();
    }
}
