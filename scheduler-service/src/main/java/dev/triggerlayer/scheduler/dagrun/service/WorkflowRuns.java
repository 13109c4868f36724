package dev.triggerlayer.scheduler.dagrun.service;

import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.dagrun.model.BackfillRequest;
import dev.triggerlayer.scheduler.dagrun.model.ManualRunRequest;
import dev.triggerlayer.scheduler.dagrun.model.RunView;
import dev.triggerlayer.scheduler.extension.model.Held;
import dev.triggerlayer.scheduler.extension.service.ExtensionChecks;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.instance.generation.InstanceGenerator;
import dev.triggerlayer.scheduler.instance.model.Instance;
import dev.triggerlayer.scheduler.workflow.service.WorkflowService.Outcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Backfills ({@code dagType} 3) and manual workflow runs ({@code dagType} 5): DAG instances made
 * on request beside the scheduled ones, whose instances then run like scheduled ones and raise
 * the usual instance and DAG events (docs/backfills.md). A backfill waits in Checking while
 * {@code backfill-data} extensions decide; it is created in the transaction that approves it.
 */
@ApplicationScoped
public class WorkflowRuns {

    /** Most business dates one backfill may cover (a year of daily dates). */
    public static final int MAX_DATES = 366;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Pool pool;
    private final Transactions transactions;
    private final InstanceGenerator generator;
    private final ExtensionChecks checks;

    public WorkflowRuns(Pool pool, Transactions transactions, InstanceGenerator generator, ExtensionChecks checks) {
        this.pool = pool;
        this.transactions = transactions;
        this.generator = generator;
        this.checks = checks;
    }

    /** The root node's workflow as a backfill sees it. */
    private record Root(long workflowId, long tenantId, long workspaceId, String workflowName, ZoneId zone) {
    }

    /** Creates a backfill, or holds it in Checking when extensions cover {@code backfill-data}. */
    public Uni<Outcome<RunView>> backfill(BackfillRequest in, String operator) {
        List<LocalDate> dates = dates(in);
        return transactions.run(u -> root(u.connection(), in)
                .chain(root -> existing(u, root.tenantId(), in.clientToken(), Instance.DAG_TYPE_BACKFILL, request(in).encode())
                        .chain(found -> found != null ? view(u.connection(), found).map(v -> new Outcome<>(v, null))
                                : createBackfill(u, in, root, dates, operator))));
    }

    private Uni<Outcome<RunView>> createBackfill(UnitOfWork u, BackfillRequest in, Root root, List<LocalDate> dates, String operator) {
        SqlConnection c = u.connection();
        Set<Long> nodes = new TreeSet<>(in.includeNodeIds() == null ? List.of() : in.includeNodeIds());
        nodes.add(in.rootNodeId());
        Set<Long> dryRun = new TreeSet<>(in.excludeNodeIds() == null ? List.of() : in.excludeNodeIds());
        Set<Long> all = new TreeSet<>(nodes);
        all.addAll(dryRun);
        String name = "P_" + in.name() + "_" + NAME_TIME.format(u.now().atZone(root.zone()));
        return nodesOfWorkflow(c, root.workflowId(), all)
                .chain(() -> c.query("select nextval('entity_id_seq')").execute())
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(runId -> insertRun(u, runId, Instance.DAG_TYPE_BACKFILL, root, name, operator, in.clientToken(), request(in)
                                .put("dates", new JsonArray(dates.stream().map(LocalDate::toString).toList()))
                                .put("nodes", new JsonArray(List.copyOf(nodes))).put("dryRun", new JsonArray(List.copyOf(dryRun))))
                        .chain(() -> checks.holdBackfill(u, root.tenantId(), root.workspaceId(), runId, name, operator, preEvent(in, name, root)))
                        .chain(held -> held != null
                                ? c.preparedQuery("update workflow_run set pending_id = $2 where id = $1").execute(Tuple.of(runId, held.pendingOperationId()))
                                        .chain(() -> view(c, runId)).map(v -> new Outcome<>(v, held))
                                : createBackfillDags(u, runId).chain(() -> view(c, runId)).map(v -> new Outcome<>(v, null))));
    }

    /** Creates the DAGs of a backfill whose checks all passed (ExtensionChecks calls this), in the transaction that closes them. */
    public Uni<Void> applyApproved(UUID pending, long runId) {
        return transactions.run(u -> checks.markApplied(u, pending).chain(() -> createBackfillDags(u, runId)));
    }

    /**
     * One DAG per business date, in the asked order; serial dates wait for the previous date's DAG
     * to succeed (a failure stops the rest of its series), parallel groups are that many series
     * taking the dates in turn, and parallel without groups runs every date at once.
     */
    private Uni<Void> createBackfillDags(UnitOfWork u, long runId) {
        SqlConnection c = u.connection();
        return c.preparedQuery("select * from workflow_run where id = $1 for update").execute(Tuple.of(runId)).chain(rows -> {
            Row run = rows.iterator().next();
            if (!"CHECKING".equals(run.getString("state"))) {
                return Uni.createFrom().voidItem(); // created already (a sweep applying it again after a crash)
            }
            JsonObject req = (JsonObject) run.getValue("request");
            List<LocalDate> dates = req.getJsonArray("dates").stream().map(d -> LocalDate.parse((String) d)).toList();
            boolean parallel = req.getBoolean("isParallel", false);
            int groups = !parallel ? 1 : req.getInteger("parallelGroup", 1) == 1 ? dates.size() : req.getInteger("parallelGroup");
            Set<Long> nodes = longs(req.getJsonArray("nodes"));
            Set<Long> dryRun = longs(req.getJsonArray("dryRun"));
            boolean ignoreTime = req.getBoolean("startFutureInstanceImmediately", false);
            List<InstanceGenerator.RunDag> made = new ArrayList<>();
            return Multi.createFrom().iterable(dates).onItem().transformToUniAndConcatenate(date -> generator.createRunDag(u, run.getLong("workflow_id"),
                            new InstanceGenerator.RunDay(runId, Instance.DAG_TYPE_BACKFILL, date, run.getString("name"), run.getString("operator"),
                                    nodes, dryRun, ignoreTime, false)).invoke(made::add))
                    .collect().asList()
                    .chain(() -> Multi.createFrom().range(groups, made.size()).onItem()
                            .transformToUniAndConcatenate(k -> generator.chain(u, made.get(k - groups).dagId(), made.get(k).dagId()))
                            .collect().asList())
                    .chain(() -> generator.advance(u, made.stream().flatMap(d -> d.instanceIds().stream()).toList()))
                    .chain(() -> c.preparedQuery("update workflow_run set state = 'CREATED' where id = $1").execute(Tuple.of(runId)))
                    .replaceWithVoid();
        });
    }

    /** Runs a deployed workflow now for a business date: one DAG instance of type 5, one instance per node, not waiting for their times. */
    public Uni<RunView> manualRun(ManualRunRequest in, String operator) {
        LocalDate bizDate = date("bizDate", in.bizDate());
        return transactions.run(u -> {
            SqlConnection c = u.connection();
            return c.preparedQuery("select * from workflow where id = $1").execute(Tuple.of(in.workflowId())).chain(rows -> {
                if (rows.size() == 0) {
                    throw new NotFoundException("workflow", in.workflowId());
                }
                Row wf = rows.iterator().next();
                if (wf.getInteger("deployed_version") == null) {
                    throw new ConflictException("workflow " + in.workflowId() + " is not deployed");
                }
                ZoneId zone = ZoneId.of(wf.getString("time_zone"));
                Root root = new Root(wf.getLong("id"), wf.getLong("tenant_id"), wf.getLong("workspace_id"), wf.getString("name"), zone);
                JsonObject request = new JsonObject().put("workflowId", in.workflowId()).put("bizDate", bizDate.toString())
                        .put("nodeIds", in.nodeIds() == null ? null : new JsonArray(in.nodeIds().stream().sorted().distinct().toList()));
                return existing(u, root.tenantId(), in.clientToken(), Instance.DAG_TYPE_MANUAL_RUN, request.encode()).chain(found -> found != null
                        ? view(c, found)
                        : c.preparedQuery("select id from node where workflow_id = $1 and deployed order by id").execute(Tuple.of(root.workflowId()))
                        .chain(deployed -> {
                            Set<Long> nodes = new TreeSet<>();
                            deployed.forEach(r -> nodes.add(r.getLong("id")));
                            if (in.nodeIds() != null) {
                                requireAll("nodeIds", nodes, in.nodeIds(), root.workflowId());
                                nodes.retainAll(in.nodeIds());
                            }
                            String name = "M_" + root.workflowName() + "_" + NAME_TIME.format(u.now().atZone(zone));
                            return c.query("select nextval('entity_id_seq')").execute().map(r -> r.iterator().next().getLong(0))
                                    .chain(runId -> insertRun(u, runId, Instance.DAG_TYPE_MANUAL_RUN, root, name, operator, in.clientToken(), request)
                                            .chain(() -> generator.createRunDag(u, root.workflowId(), new InstanceGenerator.RunDay(runId,
                                                    Instance.DAG_TYPE_MANUAL_RUN, bizDate, name, operator, nodes, Set.of(), true, true)))
                                            .chain(dag -> generator.advance(u, dag.instanceIds()))
                                            .chain(() -> c.preparedQuery("update workflow_run set state = 'CREATED' where id = $1").execute(Tuple.of(runId)))
                                            .chain(() -> view(c, runId)));
                        }));
            });
        });
    }

    public Uni<RunView> get(long id) {
        return pool.withConnection(c -> view(c, id));
    }

    /** A run made earlier with this client token, or null; the same token with other parameters is refused. */
    private static Uni<Long> existing(UnitOfWork u, long tenantId, String clientToken, int dagType, String request) {
        if (clientToken == null || clientToken.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return u.connection().preparedQuery("select id, dag_type, request from workflow_run where tenant_id = $1 and client_token = $2")
                .execute(Tuple.of(tenantId, clientToken)).map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    JsonObject stored = ((JsonObject) r.getValue("request")).copy();
                    stored.remove("dates");
                    stored.remove("nodes");
                    stored.remove("dryRun");
                    if (r.getInteger("dag_type") != dagType || !stored.equals(new JsonObject(request))) {
                        throw new ConflictException("IdempotentParameterMismatch", "clientToken " + clientToken + " was used for another request");
                    }
                    return r.getLong("id");
                });
    }

    private static Uni<Void> insertRun(UnitOfWork u, long id, int dagType, Root root, String name, String operator, String clientToken,
                                       JsonObject request) {
        return u.connection().preparedQuery("insert into workflow_run (id, dag_type, tenant_id, workspace_id, workflow_id, name, operator, "
                        + "client_token, request, state, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'CHECKING', $10)")
                .execute(Tuple.from(new Object[] {id, dagType, root.tenantId(), root.workspaceId(), root.workflowId(), name, operator,
                        clientToken == null || clientToken.isBlank() ? null : clientToken, request, u.now().atOffset(ZoneOffset.UTC)}))
                .replaceWithVoid();
    }

    /** The root node, deployed, in the workspaces the request names. */
    private static Uni<Root> root(SqlConnection c, BackfillRequest in) {
        return c.preparedQuery("select n.workflow_id, n.tenant_id, n.workspace_id, w.name, w.time_zone from node n join workflow w on w.id = n.workflow_id "
                        + "where n.id = $1 and n.deployed").execute(Tuple.of(in.rootNodeId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("deployed node", in.rootNodeId());
                    }
                    Row r = rows.iterator().next();
                    long workspace = r.getLong("workspace_id");
                    if (in.rootNodeProjectId() != null && in.rootNodeProjectId() != workspace) {
                        throw new InvalidInputException("rootNodeProjectId", "node " + in.rootNodeId() + " is in workspace " + workspace);
                    }
                    if (in.projectId() != null && in.projectId() != workspace) {
                        throw new InvalidInputException("projectId", "a backfill runs in its root node's workspace (" + workspace + ")");
                    }
                    return new Root(r.getLong("workflow_id"), r.getLong("tenant_id"), workspace, r.getString("name"), ZoneId.of(r.getString("time_zone")));
                });
    }

    /** Every named node is a deployed node of the workflow (a backfill covers one workflow's DAG). */
    private static Uni<Void> nodesOfWorkflow(SqlConnection c, long workflowId, Set<Long> ids) {
        return c.preparedQuery("select id from node where workflow_id = $1 and deployed").execute(Tuple.of(workflowId)).invoke(rows -> {
            Set<Long> deployed = new TreeSet<>();
            rows.forEach(r -> deployed.add(r.getLong("id")));
            requireAll("includeNodeIds", deployed, ids, workflowId);
        }).replaceWithVoid();
    }

    private static void requireAll(String field, Set<Long> deployed, java.util.Collection<Long> asked, long workflowId) {
        List<Long> missing = asked.stream().filter(id -> !deployed.contains(id)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new InvalidInputException(field, "nodes " + missing + " are not deployed nodes of workflow " + workflowId);
        }
    }

    /** The business dates of the ranges, without repeats, in the asked order. */
    static List<LocalDate> dates(BackfillRequest in) {
        Set<LocalDate> out = new TreeSet<>();
        for (BackfillRequest.TimePeriod p : in.multipleTimePeriods()) {
            LocalDate begin = date("bizBeginTime", p.bizBeginTime());
            LocalDate end = date("bizEndTime", p.bizEndTime());
            if (end.isBefore(begin)) {
                throw new InvalidInputException("bizEndTime", "the range " + begin + " – " + end + " ends before it begins");
            }
            if (begin.plusDays(MAX_DATES).isBefore(end)) {
                throw new InvalidInputException("multipleTimePeriods", "a backfill covers at most " + MAX_DATES + " business dates");
            }
            for (LocalDate d = begin; !d.isAfter(end); d = d.plusDays(1)) {
                out.add(d);
            }
            if (out.size() > MAX_DATES) {
                throw new InvalidInputException("multipleTimePeriods", "a backfill covers at most " + MAX_DATES + " business dates");
            }
        }
        List<LocalDate> sorted = new ArrayList<>(out);
        if ("desc".equals(in.order())) {
            sorted.sort(Comparator.reverseOrder());
        }
        return sorted;
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeException e) {
            throw new InvalidInputException(field, "must be a date yyyy-MM-dd, got '" + text + "'");
        }
    }

    /** What the backfill asked for (compared on a client-token retry) and what creating it needs. */
    private static JsonObject request(BackfillRequest in) {
        Set<Long> nodes = new TreeSet<>(in.includeNodeIds() == null ? List.of() : in.includeNodeIds());
        nodes.add(in.rootNodeId());
        JsonArray periods = new JsonArray();
        in.multipleTimePeriods().forEach(p -> periods.add(new JsonObject().put("bizBeginTime", p.bizBeginTime()).put("bizEndTime", p.bizEndTime())));
        return new JsonObject().put("name", in.name()).put("rootNodeId", in.rootNodeId())
                .put("includeNodeIds", new JsonArray(in.includeNodeIds() == null ? List.of() : in.includeNodeIds()))
                .put("excludeNodeIds", new JsonArray(in.excludeNodeIds() == null ? List.of() : in.excludeNodeIds()))
                .put("multipleTimePeriods", periods).put("isParallel", Boolean.TRUE.equals(in.isParallel()))
                .put("parallelGroup", in.parallelGroup() == null ? 1 : in.parallelGroup()).put("order", in.order() == null ? "asc" : in.order())
                .put("startFutureInstanceImmediately", Boolean.TRUE.equals(in.startFutureInstanceImmediately()));
    }

    /** The {@code backfill-data} pre-event's payload members (reference 002), besides the common ones. */
    private static java.util.Map<String, Object> preEvent(BackfillRequest in, String name, Root root) {
        JsonObject r = request(in);
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", name);
        out.put("rootNodeId", in.rootNodeId());
        out.put("rootNodeProjectId", root.workspaceId());
        out.put("includeNodeIds", in.includeNodeIds() == null ? List.of() : List.copyOf(in.includeNodeIds()));
        out.put("excludeNodeIds", in.excludeNodeIds() == null ? List.of() : List.copyOf(in.excludeNodeIds()));
        out.put("useMultipleTimePeriods", true);
        // A JSON string in the reference's sample, not an array.
        out.put("multipleTimePeriods", r.getJsonArray("multipleTimePeriods").encode());
        out.put("isParallel", r.getBoolean("isParallel"));
        out.put("parallelGroup", r.getInteger("parallelGroup"));
        out.put("order", r.getString("order"));
        out.put("startFutureInstanceImmediately", r.getBoolean("startFutureInstanceImmediately"));
        return out;
    }

    private static Set<Long> longs(JsonArray array) {
        Set<Long> out = new LinkedHashSet<>();
        array.forEach(v -> out.add(((Number) v).longValue()));
        return out;
    }

    private static Uni<RunView> view(SqlConnection c, long id) {
        return c.preparedQuery("select r.*, p.state as pending_state, p.reason as pending_reason from workflow_run r "
                        + "left join pending_operation p on p.id = r.pending_id where r.id = $1").execute(Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw new NotFoundException("workflow run", id);
                    }
                    Row r = rows.iterator().next();
                    return c.preparedQuery("select id, biz_date, name from dag_instance where run_id = $1 order by id").execute(Tuple.of(id))
                            .map(dags -> {
                                List<RunView.Dag> out = new ArrayList<>();
                                dags.forEach(d -> out.add(new RunView.Dag(d.getLong("id"), d.getLocalDate("biz_date").toString(), d.getString("name"))));
                                String pending = r.getString("pending_state");
                                boolean refused = "CHECKING".equals(r.getString("state")) && pending != null
                                        && !List.of("CHECKING", "APPROVED", "APPLIED").contains(pending);
                                String state = "CREATED".equals(r.getString("state")) ? "Created" : refused ? "Refused" : "Checking";
                                UUID pendingId = r.getUUID("pending_id");
                                return new RunView(r.getLong("id"), r.getInteger("dag_type"), r.getString("name"), r.getLong("tenant_id"),
                                        r.getLong("workspace_id"), r.getLong("workflow_id"), r.getString("operator"), state,
                                        refused ? r.getString("pending_reason") : null,
                                        state.equals("Checking") && pendingId != null ? pendingId.toString() : null,
                                        r.getOffsetDateTime("created_at").toInstant(), out);
                            });
                });
    }
}
