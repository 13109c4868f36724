package dev.triggerlayer.publisher.subscription.service;

import dev.triggerlayer.publisher.bus.messaging.TopicProvisioner;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.kit.net.OutboundUrls;
import dev.triggerlayer.publisher.delivery.service.HttpSender;
import dev.triggerlayer.publisher.delivery.service.DeliveryLanes;
import dev.triggerlayer.publisher.directory.model.WorkspaceEntry;
import dev.triggerlayer.publisher.directory.service.Directory;
import dev.triggerlayer.publisher.directory.service.RegistryFeedReader;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.publisher.subscription.model.ReplayView;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.model.SubscriptionInput;
import dev.triggerlayer.publisher.subscription.model.SubscriptionView;
import dev.triggerlayer.publisher.subscription.model.Target;
import dev.triggerlayer.publisher.subscription.model.TargetKind;
import dev.triggerlayer.publisher.subscription.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Subscriptions: a tenant's filter on its bus and a target of its own. The tenant and workspace
 * are checked against the registry directory; a Kafka target must be a topic of the tenant; an
 * HTTP target gets a signing secret generated here, returned once, and kept sealed.
 */
@ApplicationScoped
public class SubscriptionService {

    private final SubscriptionRepository subscriptions;
    private final Directory directory;
    private final OutboundUrls urls;
    private final RegistryFeedReader feed;
    private final TopicProvisioner topics;
    private final SealedSecrets sealer;
    private final DeliveryLanes lanes;
    private final PublisherConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SubscriptionService(SubscriptionRepository subscriptions, Directory directory, RegistryFeedReader feed, TopicProvisioner topics,
                               SealedSecrets sealer, DeliveryLanes lanes, PublisherConfig config, Clock clock, HttpSender http) {
        this.urls = http.urls();
        this.subscriptions = subscriptions;
        this.directory = directory;
        this.feed = feed;
        this.topics = topics;
        this.sealer = sealer;
        this.lanes = lanes;
        this.config = config;
        this.clock = clock;
    }

    public Uni<SubscriptionView> create(SubscriptionInput input) {
        long tenantId = input.tenantId();
        String busName = SubscriptionRules.busName(input, config.bus().defaultName());
        var filter = SubscriptionRules.filter(input);
        Target target = SubscriptionRules.target(tenantId, input.target());
        return checkOwnership(tenantId, input.workspaceId())
                .chain(() -> ensureTargetTopic(target))
                .chain(subscriptions::nextId)
                .chain(id -> {
                    Instant now = clock.instant();
                    String secret = target.kind() == TargetKind.HTTP ? newSecret() : null;
                    Subscription s = new Subscription(id, tenantId, input.workspaceId(), input.name(), busName, filter, target,
                            secret == null ? null : sealer.seal(secret, Subscription.secretOwner(id)), null, 0, now, now);
                    return subscriptions.insert(s)
                            .onFailure(SubscriptionService::isDuplicate).transform(e -> duplicateName(input))
                            .invoke(lanes::upsert)
                            .map(saved -> SubscriptionView.of(saved, secret));
                });
    }

    /**
     * Replaces name, workspace, filter and target; tenant and bus stay. An HTTP target keeps its
     * secret (a new one is generated, and returned, only when the target becomes HTTP).
     */
    public Uni<SubscriptionView> update(long id, SubscriptionInput input) {
        Target target = SubscriptionRules.target(input.tenantId(), input.target());
        var filter = SubscriptionRules.filter(input);
        return require(id)
                .invoke(existing -> {
                    if (existing.tenantId() != input.tenantId()) {
                        throw new InvalidInputException("tenantId", "a subscription cannot move to another tenant");
                    }
                    if (input.busName() != null && !input.busName().equals(existing.busName())) {
                        throw new InvalidInputException("busName", "cannot change; create another subscription for bus " + input.busName());
                    }
                })
                .call(existing -> checkOwnership(existing.tenantId(), input.workspaceId()))
                .call(existing -> ensureTargetTopic(target))
                .chain(existing -> {
                    String secret = null;
                    SealedSecrets.Sealed sealed = null;
                    if (target.kind() == TargetKind.HTTP) {
                        sealed = existing.sealedSecret();
                        if (sealed == null) {
                            secret = newSecret();
                            sealed = sealer.seal(secret, existing.secretOwner());
                        }
                    }
                    Subscription changed = new Subscription(id, existing.tenantId(), input.workspaceId(), input.name(),
                            existing.busName(), filter, target, sealed, existing.replayFrom(), existing.replayGeneration(),
                            existing.createdAt(), clock.instant());
                    String shown = secret;
                    return subscriptions.update(changed)
                            .onFailure(SubscriptionService::isDuplicate).transform(e -> duplicateName(input))
                            .onItem().ifNull().failWith(() -> new NotFoundException("subscription", id))
                            .invoke(lanes::upsert)
                            .map(saved -> SubscriptionView.of(saved, shown));
                });
    }

    /** A new signing secret for an HTTP subscription, returned once; the old one stops at once. */
    public Uni<SubscriptionView> rotateSecret(long id) {
        return require(id).chain(existing -> {
            if (existing.target().kind() != TargetKind.HTTP) {
                throw new ConflictException("subscription " + id + " has a KAFKA target, which is not signed");
            }
            String secret = newSecret();
            Subscription changed = new Subscription(id, existing.tenantId(), existing.workspaceId(), existing.name(),
                    existing.busName(), existing.filter(), existing.target(), sealer.seal(secret, existing.secretOwner()),
                    existing.replayFrom(), existing.replayGeneration(), existing.createdAt(), clock.instant());
            return subscriptions.update(changed)
                    .onItem().ifNull().failWith(() -> new NotFoundException("subscription", id))
                    .invoke(lanes::upsert)
                    .map(saved -> SubscriptionView.of(saved, secret));
        });
    }

    public Uni<SubscriptionView> get(long id) {
        return require(id).map(s -> SubscriptionView.of(s, null));
    }

    public Uni<List<SubscriptionView>> list(Long tenantId) {
        return subscriptions.list(tenantId).map(all -> all.stream().map(s -> SubscriptionView.of(s, null)).toList());
    }

    public Uni<Void> delete(long id) {
        return subscriptions.delete(id).invoke(existed -> {
            if (!existed) {
                throw new NotFoundException("subscription", id);
            }
            lanes.remove(id);
        }).replaceWithVoid();
    }

    /** Every replica's lane goes back to the first event its bus received at or after {@code from}. */
    public Uni<ReplayView> replay(long id, Instant from) {
        return subscriptions.requestReplay(id, from, clock.instant())
                .onItem().ifNull().failWith(() -> new NotFoundException("subscription", id))
                .invoke(lanes::upsert)
                .map(s -> new ReplayView(s.id(), s.replayFrom(), s.replayGeneration()));
    }

    public Uni<Subscription> require(long id) {
        return subscriptions.find(id).onItem().ifNull().failWith(() -> new NotFoundException("subscription", id));
    }

    /**
     * The tenant must be known to the registry and the workspace, if given, must be the
     * tenant's. Something unknown may just not have reached the directory yet, so it waits for
     * the directory to catch up before refusing.
     */
    private Uni<Void> checkOwnership(long tenantId, Long workspaceId) {
        return Uni.createFrom().completionStage(() -> known(tenantId, workspaceId)
                        ? CompletableFuture.<Void>completedFuture(null)
                        : feed.caughtUp())
                .ifNoItem().after(config.directory().catchUpTimeout()).recoverWithItem(() -> null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .invoke(() -> {
                    if (directory.tenant(tenantId).isEmpty()) {
                        throw new InvalidInputException("tenantId", "unknown tenant " + tenantId);
                    }
                    if (workspaceId != null) {
                        Optional<WorkspaceEntry> ws = directory.workspace(workspaceId);
                        if (ws.isEmpty()) {
                            throw new InvalidInputException("workspaceId", "unknown workspace " + workspaceId);
                        }
                        if (ws.get().tenantId() != tenantId) {
                            throw new InvalidInputException("workspaceId", "workspace " + workspaceId + " does not belong to tenant " + tenantId);
                        }
                    }
                })
                .replaceWithVoid();
    }

    private boolean known(long tenantId, Long workspaceId) {
        return directory.tenant(tenantId).isPresent() && (workspaceId == null || directory.workspace(workspaceId).isPresent());
    }

    /**
     * A Kafka target's topic exists; an HTTP target's host resolves to public addresses only (the
     * same check runs again before each delivery, against DNS rebinding). Blocking: on a worker.
     */
    private Uni<Void> ensureTargetTopic(Target target) {
        if (target.kind() == TargetKind.HTTP) {
            return Uni.createFrom().item(() -> {
                        try {
                            urls.checkIfResolvable(java.net.URI.create(target.url()));
                        } catch (OutboundUrls.Refused e) {
                            throw new InvalidInputException("target.url", e.getMessage());
                        }
                        return (Void) null;
                    })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().item(() -> {
                    topics.ensureTenantTopic(target.topic());
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** 32 random bytes; the HMAC key is this text's UTF-8 bytes, exactly as shown. */
    private String newSecret() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static boolean isDuplicate(Throwable t) {
        return t instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private static ConflictException duplicateName(SubscriptionInput input) {
        return new ConflictException("tenant " + input.tenantId() + " already has a subscription named '" + input.name() + "'");
    }
}
