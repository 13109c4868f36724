package dev.triggerlayer.scheduler.extension.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.error.ApiError;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.DeniedException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.extension.model.CheckView;
import dev.triggerlayer.scheduler.extension.model.ExtensionEvents;
import dev.triggerlayer.scheduler.extension.model.Held;
import dev.triggerlayer.scheduler.extension.model.HoldInput;
import dev.triggerlayer.scheduler.extension.model.PendingView;
import dev.triggerlayer.scheduler.extension.model.VerdictInput;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.instance.operation.model.Operation;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRecord;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRequest;
import dev.triggerlayer.scheduler.instance.operation.service.InstanceOperations;
import dev.triggerlayer.scheduler.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Extension checks (docs/extensions.md). An operation that enabled extensions cover is held: a
 * pending operation, one check per workspace it touches, its instances reserved, and the
 * pre-event written through the outbox in the same transaction. Each covering extension answers
 * once (OK, WARN or FAIL; the same answer again is accepted, a different one refused); the first
 * FAIL refuses the operation, the last pass applies it in its own transaction, and a check past
 * its deadline is resolved by its extensions' timeout rule. A crash between approval and
 * application is repaired by the sweep, which applies approved operations again.
 */
@ApplicationScoped
public class ExtensionChecks {

    private static final Logger LOG = Logger.getLogger(ExtensionChecks.class);

    private final Transactions transactions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final jakarta.enterprise.inject.Instance<InstanceOperations> operations;
    private final jakarta.enterprise.inject.Instance<dev.triggerlayer.scheduler.workflow.service.WorkflowService> workflows;
    private final jakarta.enterprise.inject.Instance<dev.triggerlayer.scheduler.dagrun.service.WorkflowRuns> runs;
    private final String topic;
    private final dev.triggerlayer.scheduler.extension.messaging.TenantEditions editions;

    public ExtensionChecks(Transactions transactions, Outbox outbox, ObjectMapper json,
                           jakarta.enterprise.inject.Instance<InstanceOperations> operations,
                           jakarta.enterprise.inject.Instance<dev.triggerlayer.scheduler.workflow.service.WorkflowService> workflows,
                           jakarta.enterprise.inject.Instance<dev.triggerlayer.scheduler.dagrun.service.WorkflowRuns> runs,
                           dev.triggerlayer.scheduler.extension.messaging.TenantEditions editions, SchedulerConfig config) {
        this.runs = runs;
        this.editions = editions;
        editions.onLapse(tenant -> lapse(tenant).subscribe().with(
                n -> LOG.infof("tenant %d is no longer on the Enterprise Edition: %d checks passed automatically", tenant, n),
                e -> LOG.warnf("passing the checks of tenant %d (edition lapsed) failed; the sweep retries: %s", tenant, e.getMessage())));
        this.transactions = transactions;
        this.outbox = outbox;
        this.json = json;
        // Lazy: the operations hold through this class and this class applies them once approved.
        this.operations = operations;
        this.workflows = workflows;
        this.topic = config.topics().instanceOperations();
    }

    /** Refuses an operation on instances another operation holds (all but {@code approved}'s own). */
    public Uni<Void> refuseHeld(UnitOfWork u, Collection<Long> instanceIds, UUID approved) {
        return u.connection().preparedQuery("select instance_id, pending_id from checking_instance where instance_id = any($1) order by instance_id")
                .execute(Tuple.of((Object) instanceIds.toArray(new Long[0])))
                .invoke(rows -> {
                    for (Row r : rows) {
                        if (!r.getUUID("pending_id").equals(approved)) {
                            throw new ConflictException("instance " + r.getLong("instance_id") + " is in Checking: operation "
                                    + r.getUUID("pending_id") + " waits for its extensions' answers");
                        }
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Holds the operation when enabled extensions cover its pre-event in any workspace it touches;
     * null when none does (the operation then applies at once, as without extensions).
     */
    public Uni<Held> hold(UnitOfWork u, Operation op, OperationRequest request, List<Instance> targets, Map<Long, String> nodeNames, String operator) {
        String eventCode = ExtensionEvents.of(op).orElse(null);
        if (eventCode == null) {
            return Uni.createFrom().nullItem();
        }
        Map<String, List<Instance>> byWorkspace = new LinkedHashMap<>();
        targets.forEach(i -> byWorkspace.computeIfAbsent(i.tenantId() + "/" + i.workspaceId() + "/" + i.env(), k -> new ArrayList<>()).add(i));
        return Multi.createFrom().iterable(byWorkspace.values())
                .onItem().transformToUniAndConcatenate(group -> covering(u, group.get(0).tenantId(), group.get(0).workspaceId(), eventCode)
                        .map(extensions -> Map.entry(group, extensions)))
                .collect().asList()
                .chain(groups -> {
                    if (groups.stream().allMatch(g -> g.getValue().isEmpty())) {
                        return Uni.createFrom().nullItem();
                    }
                    UUID pending = UUID.randomUUID();
                    List<UUID> checkIds = new ArrayList<>();
                    JsonObject stored = new JsonObject().put("operation", op.name()).put("instanceIds", request.instanceIds());
                    if (request.descendants() != null) {
                        stored.put("descendants", request.descendants());
                    }
                    Uni<Void> chain = insertPending(u, pending, op.eventCode, stored, operator);
                    for (var g : groups) {
                        if (g.getValue().isEmpty()) {
                            continue;
                        }
                        UUID check = UUID.randomUUID();
                        checkIds.add(check);
                        Instance first = g.getKey().get(0);
                        List<Long> ids = g.getKey().stream().map(Instance::id).sorted().toList();
                        chain = chain.chain(() -> insertCheck(u, check, pending, first.tenantId(), first.workspaceId(), eventCode, g.getValue()));
                        outbox.append(u, topic, String.valueOf(first.workspaceId()), check, new OperationRecord(check, eventCode, first.tenantId(),
                                first.workspaceId(), first.env(), operator, u.now().toEpochMilli(), ids, null, null, null,
                                pending.toString(), bizName(ids.stream().map(nodeNames::get).distinct().toList()), null));
                    }
                    Long[] all = targets.stream().map(Instance::id).sorted().toArray(Long[]::new);
                    return chain.chain(() -> u.connection().preparedQuery("insert into checking_instance (instance_id, pending_id) "
                                    + "select unnest($1::bigint[]), $2").execute(Tuple.of(all, pending)))
                            .map(done -> new Held(pending, List.copyOf(checkIds)));
                });
    }

    /**
     * Holds a node operation ({@code freeze-node}, {@code unfreeze-node}, {@code undeploy-node}) on
     * nodes of one workspace when enabled extensions cover it; null when none does. {@code request}
     * is what {@link #applyIfApproved} needs to apply it ({@code kind}: {@code node}).
     */
    public Uni<Held> holdNodes(UnitOfWork u, String eventCode, long tenantId, long workspaceId, List<Long> nodeIds, List<String> names,
                               String operator, JsonObject request) {
        if (nodeIds.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return holdOne(u, eventCode, tenantId, workspaceId, operator, request.copy().put("kind", "node"),
                check -> new OperationRecord(check.check(), eventCode, tenantId, workspaceId, null, operator, u.now().toEpochMilli(), null, null, null,
                        null, check.pending().toString(), bizName(names), List.copyOf(nodeIds)));
    }

    /**
     * Holds a backfill ({@code backfill-data}) when enabled extensions of its workspace cover it;
     * null when none does. The pre-event carries the backfill's parameters in {@code details}.
     */
    public Uni<Held> holdBackfill(UnitOfWork u, long tenantId, long workspaceId, long runId, String name, String operator, Object details) {
        return holdOne(u, ExtensionEvents.BACKFILL_DATA, tenantId, workspaceId, operator, new JsonObject().put("kind", "backfill").put("runId", runId),
                check -> new OperationRecord(check.check(), ExtensionEvents.BACKFILL_DATA, tenantId, workspaceId, null, operator,
                        u.now().toEpochMilli(), null, null, null, null, check.pending().toString(), name, null, details));
    }

    /**
     * Holds another service's tenant-level operation ({@code delete-project}) when enabled
     * extensions of the tenant cover it; null when none does (the service applies it at once).
     * The asking service applies it once approved and reports back ({@link #reportOutcome}).
     */
    public Uni<Held> holdForService(HoldInput in) {
        JsonObject request = new JsonObject().put("kind", "service").put("action", in.eventCode()).put("workspaceId", in.workspaceId());
        return transactions.run(u -> holdOne(u, in.eventCode(), in.tenantId(), in.workspaceId(), in.operator(), request,
                check -> new OperationRecord(check.check(), in.eventCode(), in.tenantId(), in.workspaceId(), null, in.operator(),
                        u.now().toEpochMilli(), null, null, null, null, check.pending().toString(), in.workspaceName(), null)));
    }

    /** The ids of a hold with one check: the pending operation's and the check's (the pre-event's id). */
    private record Ids(UUID pending, UUID check) {
    }

    /** Holds an operation on one workspace (one check) when extensions cover it; null when none does. */
    private Uni<Held> holdOne(UnitOfWork u, String eventCode, long tenantId, long workspaceId, String operator, JsonObject request,
                              java.util.function.Function<Ids, OperationRecord> preEvent) {
        return covering(u, tenantId, workspaceId, eventCode).chain(extensions -> {
            if (extensions.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            Ids ids = new Ids(UUID.randomUUID(), UUID.randomUUID());
            outbox.append(u, topic, String.valueOf(workspaceId), ids.check(), preEvent.apply(ids));
            return insertPending(u, ids.pending(), eventCode, request, operator)
                    .chain(() -> insertCheck(u, ids.check(), ids.pending(), tenantId, workspaceId, eventCode, extensions))
                    .map(done -> new Held(ids.pending(), List.of(ids.check())));
        });
    }

    private Uni<Void> insertPending(UnitOfWork u, UUID pending, String operation, JsonObject request, String operator) {
        return u.connection().preparedQuery("insert into pending_operation (id, operation, request, operator, state, created_at) "
                        + "values ($1, $2, $3, $4, 'CHECKING', $5)")
                .execute(Tuple.of(pending, operation, request, operator, u.now().atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** A check expecting every covering extension; its deadline is the shortest of their timeouts. */
    private Uni<Void> insertCheck(UnitOfWork u, UUID check, UUID pending, long tenantId, long workspaceId, String eventCode, List<Covering> extensions) {
        int timeout = extensions.stream().mapToInt(Covering::timeoutSeconds).min().orElseThrow();
        return u.connection().preparedQuery("insert into extension_check (id, pending_id, tenant_id, workspace_id, "
                        + "event_code, expected, state, deadline, created_at) values ($1, $2, $3, $4, $5, $6, 'CHECKING', $7, $8)")
                .execute(Tuple.from(new Object[] {check, pending, tenantId, workspaceId, eventCode,
                        extensions.stream().map(Covering::code).sorted().toArray(String[]::new),
                        u.now().plusSeconds(timeout).atOffset(ZoneOffset.UTC), u.now().atOffset(ZoneOffset.UTC)}))
                .replaceWithVoid();
    }

    /** The pre-event's {@code extensionBizName}: the names, comma-separated, within the schema's bound. */
    private static String bizName(List<String> names) {
        String joined = String.join(",", names);
        return joined.length() > 1024 ? joined.substring(0, 1021) + "..." : joined;
    }

    /** The asking service applied an approved operation, or could not (then it is REFUSED with its reason). */
    public Uni<PendingView> reportOutcome(UUID pending, boolean applied, String reason) {
        return transactions.run(u -> u.connection().preparedQuery("select * from pending_operation where id = $1 for update").execute(Tuple.of(pending))
                        .chain(rows -> {
                            if (!rows.iterator().hasNext()) {
                                throw new NotFoundException("pending operation", pending);
                            }
                            Row p = rows.iterator().next();
                            if (!"service".equals(((JsonObject) p.getValue("request")).getString("kind"))) {
                                throw new ConflictException("operation " + pending + " is applied by the scheduler itself");
                            }
                            String state = p.getString("state");
                            String wanted = applied ? "APPLIED" : "REFUSED";
                            if (state.equals(wanted)) {
                                return Uni.createFrom().voidItem(); // reported twice: the same outcome
                            }
                            if (!state.equals("APPROVED")) {
                                throw new ConflictException("operation " + pending + " is " + state + ": only an approved operation is applied");
                            }
                            return applied ? markApplied(u, pending) : resolve(u, pending, null, "REFUSED", reason == null ? "not applied" : reason);
                        }))
                .chain(() -> pending(pending));
    }

    /** An extension's answer (the gateway's callbacks end here); applies or refuses the operation when it decides it. */
    public Uni<CheckView> verdict(UUID checkId, VerdictInput v) {
        return transactions.run(u -> lockCheck(u, checkId)
                        .chain(check -> u.connection().preparedQuery("select tenant_id, deleted from extension where code = $1")
                                .execute(Tuple.of(v.extensionCode()))
                                .chain(ext -> {
                                    if (!ext.iterator().hasNext()) {
                                        throw new NotFoundException("extension", v.extensionCode());
                                    }
                                    if (!ext.iterator().next().getLong("tenant_id").equals(v.callerTenantId())) {
                                        throw new DeniedException("extension " + v.extensionCode() + " belongs to another tenant: only its own tenant answers for it");
                                    }
                                    if (!Arrays.asList(check.getArrayOfStrings("expected")).contains(v.extensionCode())) {
                                        throw new ConflictException("ExtensionNotBound", "extension " + v.extensionCode() + " is not asked by check " + checkId
                                                + " (it does not cover " + check.getString("event_code") + " in workspace " + check.getLong("workspace_id") + ")");
                                    }
                                    return record(u, check, v.extensionCode(), v.checkResult(), v.tip(), false);
                                })))
                .call(this::applyIfApproved)
                .chain(pending -> view(checkId));
    }

    /** Records one verdict and what it decides; returns the pending operation's id when it is now approved, else null. */
    private Uni<UUID> record(UnitOfWork u, Row check, String code, String result, String tip, boolean byRule) {
        UUID checkId = check.getUUID("id");
        UUID pending = check.getUUID("pending_id");
        return u.connection().preparedQuery("select result from extension_verdict where check_id = $1 and extension_code = $2")
                .execute(Tuple.of(checkId, code))
                .chain(existing -> {
                    if (existing.iterator().hasNext()) {
                        String before = existing.iterator().next().getString("result");
                        if (before.equals(result)) {
                            return Uni.createFrom().nullItem(); // the same answer again: accepted, nothing changes
                        }
                        throw new ConflictException("VerdictChanged", "extension " + code + " already answered "
                                + (before.startsWith("T") ? "nothing in time (resolved by its timeout rule)" : before) + " to check " + checkId
                                + ": an answer cannot be changed");
                    }
                    if (!"CHECKING".equals(check.getString("state"))) {
                        throw new ConflictException("CheckFinished", "check " + checkId + " is final (" + check.getString("state") + "): it takes no more answers");
                    }
                    Uni<Void> insert = u.connection().preparedQuery("insert into extension_verdict (check_id, extension_code, result, tip, at) "
                                    + "values ($1, $2, $3, $4, $5)")
                            .execute(Tuple.of(checkId, code, byRule ? "T" + result.charAt(0) : result, tip, u.now().atOffset(ZoneOffset.UTC)))
                            .replaceWithVoid();
                    if (result.equals("FAIL")) {
                        String reason = "extension " + code + (byRule ? " did not answer in time (its timeout rule: FAIL)" : " answered FAIL")
                                + (tip == null || tip.isBlank() ? "" : ": " + tip);
                        return insert.chain(() -> resolve(u, pending, checkId, "FAILED", reason)).replaceWith((UUID) null);
                    }
                    return insert.chain(() -> u.connection().preparedQuery("select count(*) from extension_verdict where check_id = $1").execute(Tuple.of(checkId)))
                            .chain(count -> {
                                if (count.iterator().next().getLong(0) < check.getArrayOfStrings("expected").length) {
                                    return Uni.createFrom().nullItem();
                                }
                                return u.connection().preparedQuery("update extension_check set state = 'PASSED', resolved_at = $2 where id = $1")
                                        .execute(Tuple.of(checkId, u.now().atOffset(ZoneOffset.UTC)))
                                        .chain(() -> u.connection().preparedQuery("select count(*) from extension_check where pending_id = $1 and state <> 'PASSED'")
                                                .execute(Tuple.of(pending)))
                                        .chain(open -> open.iterator().next().getLong(0) > 0 ? Uni.createFrom().nullItem()
                                                : u.connection().preparedQuery("update pending_operation set state = 'APPROVED' where id = $1 and state = 'CHECKING'")
                                                .execute(Tuple.of(pending)).replaceWith(pending));
                            });
                });
    }

    /** A check failed: the operation is refused, its other checks cancelled, its instances released. */
    private Uni<Void> resolve(UnitOfWork u, UUID pending, UUID failedCheck, String state, String reason) {
        var at = u.now().atOffset(ZoneOffset.UTC);
        return u.connection().preparedQuery("update extension_check set state = case when id = $2 then 'FAILED' else 'CANCELLED' end, "
                        + "reason = case when id = $2 then $3 else null end, resolved_at = $4 where pending_id = $1 and state = 'CHECKING'")
                .execute(Tuple.of(pending, failedCheck, reason, at))
                .chain(() -> u.connection().preparedQuery("update pending_operation set state = $2, reason = $3, resolved_at = $4 where id = $1")
                        .execute(Tuple.of(pending, state, reason, at)))
                .chain(() -> u.connection().preparedQuery("delete from checking_instance where pending_id = $1").execute(Tuple.of(pending)))
                .replaceWithVoid();
    }

    /** In the transaction that applies an approved operation: it is done, its instances are free. */
    public Uni<Void> markApplied(UnitOfWork u, UUID pending) {
        return u.connection().preparedQuery("update pending_operation set state = 'APPLIED', resolved_at = $2 where id = $1")
                .execute(Tuple.of(pending, u.now().atOffset(ZoneOffset.UTC)))
                .chain(() -> u.connection().preparedQuery("delete from checking_instance where pending_id = $1").execute(Tuple.of(pending)))
                .replaceWithVoid();
    }

    /** Applies an approved operation; when the instances no longer allow it, it is refused with the reason. */
    private Uni<Void> applyIfApproved(UUID pending) {
        if (pending == null) {
            return Uni.createFrom().voidItem();
        }
        return transactions.run(u -> u.connection().preparedQuery("select * from pending_operation where id = $1").execute(Tuple.of(pending)))
                .chain(rows -> {
                    Row p = rows.iterator().next();
                    if (!"APPROVED".equals(p.getString("state"))) {
                        return Uni.createFrom().voidItem();
                    }
                    JsonObject stored = (JsonObject) p.getValue("request");
                    if ("service".equals(stored.getString("kind"))) {
                        return Uni.createFrom().voidItem(); // the asking service applies it and reports back
                    }
                    if ("backfill".equals(stored.getString("kind"))) {
                        return refusedWhenInapplicable(pending, runs.get().applyApproved(pending, stored.getLong("runId")));
                    }
                    if ("node".equals(stored.getString("kind"))) {
                        return refusedWhenInapplicable(pending, workflows.get().applyApproved(pending, stored, p.getString("operator")));
                    }
                    Operation op = Operation.valueOf(stored.getString("operation"));
                    List<Long> ids = stored.getJsonArray("instanceIds").stream().map(n -> ((Number) n).longValue()).toList();
                    OperationRequest request = new OperationRequest(ids, stored.getBoolean("descendants"), null);
                    return refusedWhenInapplicable(pending, operations.get().applyApproved(pending, op, request, p.getString("operator")).replaceWithVoid());
                });
    }

    /** An approved operation its targets no longer allow (a documented refusal) is REFUSED with the reason. */
    private Uni<Void> refusedWhenInapplicable(UUID pending, Uni<Void> apply) {
        return apply.onFailure(ApiError.class).recoverWithUni(e -> transactions.run(u -> resolve(u, pending, null, "REFUSED",
                "approved, but not applicable any more: " + e.getMessage())));
    }

    /** Resolves checks past their deadline by their extensions' timeout rule, and applies approved operations a crash left behind. */
    @Scheduled(every = "${scheduler.extensions.timeout-sweep:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return timeouts().chain(this::approvedLeftBehind).chain(this::lapsedLeftBehind)
                .onFailure().invoke(e -> LOG.warnf("extension check sweep failed, the next one retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Resolves every check past its deadline; returns how many. */
    public Uni<Integer> timeouts() {
        return transactions.run(u -> u.connection().preparedQuery("select * from extension_check where state = 'CHECKING' and deadline <= $1 "
                                + "order by deadline limit 50 for update skip locked").execute(Tuple.of(u.now().atOffset(ZoneOffset.UTC)))
                        .chain(checks -> Multi.createFrom().iterable(checks).onItem().transformToUniAndConcatenate(check -> timeOut(u, check))
                                .collect().asList()))
                .chain(approved -> Multi.createFrom().iterable(approved.stream().filter(java.util.Objects::nonNull).toList())
                        .onItem().transformToUniAndConcatenate(this::applyIfApproved).collect().asList().map(done -> approved.size()));
    }

    private Uni<UUID> timeOut(UnitOfWork u, Row check) {
        return u.connection().preparedQuery("select e.code, e.timeout_result from extension e where e.code = any($1) "
                        + "and e.code not in (select extension_code from extension_verdict where check_id = $2) order by e.code")
                .execute(Tuple.of(check.getArrayOfStrings("expected"), check.getUUID("id")))
                .chain(missing -> {
                    // FAIL rules first: one of them decides; otherwise every silent extension passes by its rule.
                    Map<String, String> rules = new LinkedHashMap<>();
                    missing.forEach(m -> {
                        if (m.getString("timeout_result").equals("FAIL")) {
                            rules.put(m.getString("code"), "FAIL");
                        }
                    });
                    missing.forEach(m -> rules.putIfAbsent(m.getString("code"), m.getString("timeout_result")));
                    return answerByRule(u, check.getUUID("id"), rules, "no answer within the check's timeout");
                });
    }

    /**
     * Records, for each silent extension in order, the answer a rule gives it, until the check is
     * final; returns the pending operation's id when that approved it, else null.
     */
    private Uni<UUID> answerByRule(UnitOfWork u, UUID checkId, Map<String, String> results, String tip) {
        Uni<UUID> chain = Uni.createFrom().nullItem();
        for (var rule : results.entrySet()) {
            chain = chain.chain(previous -> lockCheck(u, checkId)
                    .chain(fresh -> !"CHECKING".equals(fresh.getString("state")) ? Uni.createFrom().item(previous)
                            : record(u, fresh, rule.getKey(), rule.getValue(), tip, true).map(approved -> approved != null ? approved : previous)));
        }
        return chain;
    }

    /**
     * The tenant's edition lapsed (reference 004): every check of it not yet final passes, each
     * silent extension's answer recorded as given by that rule; returns how many checks.
     */
    public Uni<Integer> lapse(long tenantId) {
        return transactions.run(u -> u.connection().preparedQuery("select * from extension_check where tenant_id = $1 and state = 'CHECKING' "
                                + "order by created_at for update skip locked").execute(Tuple.of(tenantId))
                        .chain(checks -> Multi.createFrom().iterable(checks).onItem().transformToUniAndConcatenate(check ->
                                u.connection().preparedQuery("select code from unnest($1::text[]) as code where code not in "
                                                + "(select extension_code from extension_verdict where check_id = $2) order by code")
                                        .execute(Tuple.of(check.getArrayOfStrings("expected"), check.getUUID("id")))
                                        .chain(missing -> {
                                            Map<String, String> rules = new LinkedHashMap<>();
                                            missing.forEach(m -> rules.put(m.getString("code"), "OK"));
                                            return answerByRule(u, check.getUUID("id"), rules, "the tenant's edition lapsed: checks not yet final pass");
                                        })).collect().asList()))
                .chain(approved -> Multi.createFrom().iterable(approved.stream().filter(java.util.Objects::nonNull).toList())
                        .onItem().transformToUniAndConcatenate(this::applyIfApproved).collect().asList().map(done -> approved.size()));
    }

    private Uni<Void> lapsedLeftBehind() {
        return transactions.run(u -> u.connection().preparedQuery("select distinct tenant_id from extension_check where state = 'CHECKING'").execute())
                .chain(rows -> {
                    List<Long> lapsed = new ArrayList<>();
                    rows.forEach(r -> {
                        if (!editions.extensionsActive(r.getLong("tenant_id"))) {
                            lapsed.add(r.getLong("tenant_id"));
                        }
                    });
                    return Multi.createFrom().iterable(lapsed).onItem().transformToUniAndConcatenate(this::lapse).collect().asList();
                })
                .replaceWithVoid();
    }

    private Uni<Void> approvedLeftBehind(Integer ignored) {
        return transactions.run(u -> u.connection().preparedQuery("select id from pending_operation where state = 'APPROVED' "
                                + "and coalesce(request->>'kind', '') <> 'service' order by created_at limit 20")
                        .execute())
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(this::applyIfApproved).collect().asList();
                })
                .replaceWithVoid();
    }

    // --- reads ---------------------------------------------------------------------------------------

    /** The pending operation (not yet final) that holds an operation on the node, or null. */
    public Uni<String> heldNode(long nodeId) {
        return transactions.run(u -> u.connection().preparedQuery("select id from pending_operation where state in ('CHECKING', 'APPROVED') "
                        + "and request->>'kind' = 'node' and request->'nodeIds' @> to_jsonb(array[$1::bigint]) order by created_at limit 1")
                .execute(Tuple.of(nodeId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id").toString() : null));
    }

    public Uni<CheckView> view(UUID checkId) {
        return transactions.run(u -> u.connection().preparedQuery("select * from extension_check where id = $1").execute(Tuple.of(checkId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("extension check", checkId);
                    }
                    return checkView(u, rows.iterator().next());
                }));
    }

    public Uni<PendingView> pending(UUID id) {
        return transactions.run(u -> u.connection().preparedQuery("select * from pending_operation where id = $1").execute(Tuple.of(id))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("pending operation", id);
                    }
                    Row p = rows.iterator().next();
                    return u.connection().preparedQuery("select * from extension_check where pending_id = $1 order by workspace_id").execute(Tuple.of(id))
                            .chain(checks -> Multi.createFrom().iterable(checks).onItem().transformToUniAndConcatenate(c -> checkView(u, c)).collect().asList())
                            .map(checks -> new PendingView(id.toString(), p.getString("operation"), p.getString("operator"), p.getString("state"),
                                    p.getString("reason"), ids((JsonObject) p.getValue("request"), "instanceIds"),
                                    ids((JsonObject) p.getValue("request"), "nodeIds"), checks,
                                    p.getOffsetDateTime("created_at").toInstant(),
                                    p.getOffsetDateTime("resolved_at") == null ? null : p.getOffsetDateTime("resolved_at").toInstant()));
                }));
    }

    private Uni<CheckView> checkView(UnitOfWork u, Row c) {
        return u.connection().preparedQuery("select * from extension_verdict where check_id = $1 order by at, extension_code").execute(Tuple.of(c.getUUID("id")))
                .map(verdicts -> {
                    List<CheckView.Verdict> list = new ArrayList<>();
                    for (Row v : verdicts) {
                        String stored = v.getString("result");
                        boolean byRule = stored.startsWith("T");
                        String result = byRule ? (stored.equals("TF") ? "FAIL" : "OK") : stored;
                        list.add(new CheckView.Verdict(v.getString("extension_code"), result, v.getString("tip"), byRule,
                                v.getOffsetDateTime("at").toInstant()));
                    }
                    return new CheckView(c.getUUID("id").toString(), c.getUUID("pending_id").toString(), c.getLong("tenant_id"),
                            c.getLong("workspace_id"), c.getString("event_code"), c.getString("state"), List.of(c.getArrayOfStrings("expected")),
                            list, c.getOffsetDateTime("deadline").toInstant(), c.getString("reason"));
                });
    }

    private Uni<Row> lockCheck(UnitOfWork u, UUID checkId) {
        return u.connection().preparedQuery("select * from extension_check where id = $1 for update").execute(Tuple.of(checkId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("extension check", checkId);
                    }
                    return rows.iterator().next();
                });
    }

    /** An extension that covers an event in a workspace. */
    private record Covering(String code, int timeoutSeconds) {
    }

    /**
     * The extensions of the tenant that handle the event in the workspace, minus those whose
     * {@code extension.project.disabled} parameter lists it. Workspace level: published and enabled
     * there, or unpublished with it as their test workspace. Tenant level ({@code delete-project}):
     * published (every workspace of the tenant), or unpublished with it as their test workspace.
     */
    private Uni<List<Covering>> covering(UnitOfWork u, long tenantId, long workspaceId, String eventCode) {
        if (!editions.extensionsActive(tenantId)) {
            // Extensions are an Enterprise Edition feature: on another edition none of them covers anything.
            return Uni.createFrom().item(List.of());
        }
        String enabled = ExtensionEvents.TENANT.contains(eventCode) ? "e.published" : "e.published and coalesce(w.enabled, false)";
        return u.connection().preparedQuery("select e.code, e.check_timeout_s, e.parameters from extension e "
                        + "left join extension_workspace w on w.extension_code = e.code and w.workspace_id = $3 "
                        + "where not e.deleted and e.tenant_id = $1 and $2 = any(e.event_codes) "
                        + "and ((" + enabled + ") or (not e.published and e.test_workspace_id = $3)) order by e.code")
                .execute(Tuple.of(tenantId, eventCode, workspaceId))
                .map(rows -> {
                    List<Covering> out = new ArrayList<>();
                    for (Row r : rows) {
                        if (!disabledIn(r.getString("parameters")).contains(workspaceId)) {
                            out.add(new Covering(r.getString("code"), r.getInteger("check_timeout_s")));
                        }
                    }
                    return out;
                });
    }

    private static List<Long> ids(JsonObject request, String field) {
        return request.getJsonArray(field) == null ? List.of() : request.getJsonArray(field).stream().map(n -> ((Number) n).longValue()).toList();
    }

    /** The workspaces of the built-in {@code extension.project.disabled=<id>,<id>} parameter. */
    static Set<Long> disabledIn(String parameters) {
        Set<Long> out = new TreeSet<>();
        if (parameters == null) {
            return out;
        }
        for (String line : parameters.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).trim().equals("extension.project.disabled")) {
                for (String id : line.substring(eq + 1).split(",")) {
                    try {
                        out.add(Long.parseLong(id.trim()));
                    } catch (NumberFormatException ignored) {
                        // not a workspace id: the registration checks these, old rows may not
                    }
                }
            }
        }
        return out;
    }
}
