package dev.triggerlayer.registry.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.kit.error.ApiError;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.UnavailableException;
import dev.triggerlayer.registry.config.RegistryConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workspace deletion as a tenant-level extension point ({@code delete-project}, docs/extensions.md).
 * The scheduler holds the checks (it owns extensions); the registry asks it before deleting, keeps
 * a held deletion in {@code workspace_deletion}, deletes once the checks passed, and reports the
 * outcome. The scheduler unreachable: the deletion is refused as unavailable, never done unchecked.
 */
@ApplicationScoped
public class DeletionChecks {

    private static final Logger LOG = Logger.getLogger(DeletionChecks.class);

    /** What a deletion request did: deleted now, or held with the checks it waits for. */
    public record Outcome(boolean deleted, Map<String, Object> held) {
    }

    private final WorkspaceService workspaces;
    private final Clock clock;
    private final Optional<SchedulerChecksApi> scheduler;
    private final String authorization;

    public DeletionChecks(WorkspaceService workspaces, Clock clock, RegistryConfig config) {
        this.workspaces = workspaces;
        this.clock = clock;
        this.scheduler = config.scheduler().url().filter(u -> !u.isBlank()).map(url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url)).connectTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .readTimeout(10, java.util.concurrent.TimeUnit.SECONDS).build(SchedulerChecksApi.class));
        this.authorization = "Bearer " + config.scheduler().token().orElse("");
    }

    public Uni<Outcome> delete(long id, String operator) {
        if (scheduler.isEmpty()) {
            return workspaces.delete(id, operator).replaceWith(new Outcome(true, null));
        }
        return held(id).chain(pending -> {
                    if (pending != null) {
                        throw new ConflictException("the deletion of workspace " + id + " waits for its extension checks (operation " + pending + ")");
                    }
                    return workspaces.requireDeletable(id);
                })
                .chain(w -> ask(w, operator))
                .chain(answer -> answer.getStatus() == 200 ? workspaces.delete(id, operator).replaceWith(new Outcome(true, null))
                        : keep(id, answer, operator));
    }

    private Uni<Response> ask(WorkspaceView w, String operator) {
        Map<String, Object> hold = Map.of("eventCode", "delete-project", "tenantId", w.tenantId(), "workspaceId", w.id(),
                "workspaceName", w.name(), "operator", operator);
        return scheduler.get().hold(authorization, hold)
                .onFailure().transform(e -> new UnavailableException("the scheduler (extension checks) is not reachable: the workspace is not deleted; try again"))
                .invoke(r -> {
                    if (r.getStatus() != 200 && r.getStatus() != 202) {
                        throw new UnavailableException("the scheduler refused to check the deletion (" + r.getStatus() + "): the workspace is not deleted");
                    }
                });
    }

    @WithTransaction
    Uni<Outcome> keep(long id, Response answer, String operator) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new HashMap<>(answer.readEntity(Map.class));
        return Workspace.getSession().chain(s -> s.createNativeQuery("insert into workspace_deletion (workspace_id, pending_id, operator, requested_at) "
                                + "values (?1, cast(?2 as uuid), ?3, ?4)")
                        .setParameter(1, id).setParameter(2, String.valueOf(body.get("pendingOperationId"))).setParameter(3, operator)
                        .setParameter(4, clock.instant().atOffset(java.time.ZoneOffset.UTC)).executeUpdate())
                .replaceWith(new Outcome(false, body));
    }

    /** The pending operation a held deletion of the workspace waits for, or null. */
    @WithSession
    public Uni<String> held(long id) {
        return Workspace.getSession().chain(s -> s.createNativeQuery("select cast(pending_id as text) from workspace_deletion where workspace_id = ?1",
                String.class).setParameter(1, id).getResultList()).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    @WithSession
    Uni<List<Object[]>> heldAll() {
        return Workspace.getSession().chain(s -> s.createNativeQuery("select workspace_id, cast(pending_id as text), operator from workspace_deletion "
                + "order by requested_at", Object[].class).getResultList());
    }

    @WithTransaction
    Uni<Void> forget(long id) {
        return Workspace.getSession().chain(s -> s.createNativeQuery("delete from workspace_deletion where workspace_id = ?1")
                .setParameter(1, id).executeUpdate()).replaceWithVoid();
    }

    /** Held deletions whose checks ended: delete (and report) the approved ones, forget the refused ones. */
    @Scheduled(every = "${registry.scheduler.poll-interval:2s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        if (scheduler.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return heldAll().chain(rows -> Multi.createFrom().iterable(rows)
                        .onItem().transformToUniAndConcatenate(r -> settle(((Number) r[0]).longValue(), (String) r[1], (String) r[2])
                                .onFailure().invoke(e -> LOG.warnf("held deletion of workspace %s: %s (the next poll retries)", r[0], e.getMessage()))
                                .onFailure().recoverWithNull())
                        .collect().asList())
                .replaceWithVoid();
    }

    /** {@code operator}: who asked for the held deletion, the operator of its project-deleted event. */
    private Uni<Void> settle(long id, String pending, String operator) {
        return scheduler.get().pending(authorization, pending).chain(p -> switch (p.path("state").asText()) {
            case "APPROVED" -> workspaces.delete(id, operator)
                    .chain(() -> report(pending, true, null))
                    .onFailure(ApiError.class).recoverWithUni(e -> e instanceof dev.triggerlayer.kit.error.NotFoundException
                            ? report(pending, true, null) // deleted before a crash stopped the report
                            : report(pending, false, e.getMessage()))
                    .chain(() -> forget(id));
            case "APPLIED", "FAILED", "REFUSED" -> forget(id);
            default -> Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> report(String pending, boolean applied, String reason) {
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("applied", applied);
        if (reason != null) {
            outcome.put("reason", reason);
        }
        return scheduler.get().outcome(authorization, pending, outcome).replaceWithVoid();
    }

}
