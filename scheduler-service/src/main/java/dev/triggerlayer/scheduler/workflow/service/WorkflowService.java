package dev.triggerlayer.scheduler.workflow.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.extension.model.ExtensionEvents;
import dev.triggerlayer.scheduler.extension.model.Held;
import dev.triggerlayer.scheduler.extension.service.ExtensionChecks;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.instance.generation.InstanceGenerator;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import dev.triggerlayer.scheduler.outbox.Outbox;
import dev.triggerlayer.scheduler.run.repository.ResourceGroups;
import dev.triggerlayer.scheduler.workflow.model.Env;
import dev.triggerlayer.scheduler.workflow.model.InstanceGeneration;
import dev.triggerlayer.scheduler.workflow.model.NodeDefinition;
import dev.triggerlayer.scheduler.workflow.model.NodeType;
import dev.triggerlayer.scheduler.workflow.model.NodeDirectoryEntry;
import dev.triggerlayer.scheduler.workflow.model.WorkflowDefinition;
import dev.triggerlayer.scheduler.workflow.model.WorkflowView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Workflow definitions, versioned deploys, freezing of nodes, and instance generation on deploy. */
@ApplicationScoped
public class WorkflowService {

    public static final String DEFAULT_TIME_ZONE = "Asia/Shanghai";

    private final Pool pool;
    private final Transactions transactions;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final InstanceGenerator generator;
    private final SchedulerConfig.Topics topics;
    private final ExtensionChecks checks;
    private final NodeChanges nodeChanges;

    public WorkflowService(Pool pool, Transactions transactions, ObjectMapper json, Outbox outbox, InstanceGenerator generator,
                           ExtensionChecks checks, NodeChanges nodeChanges, SchedulerConfig config) {
        this.checks = checks;
        this.nodeChanges = nodeChanges;
        this.pool = pool;
        this.transactions = transactions;
        this.json = json;
        this.outbox = outbox;
        this.generator = generator;
        this.topics = config.topics();
    }

    public Uni<WorkflowView> create(WorkflowDefinition input) {
        WorkflowValidator.validate(input);
        return transactions.run(u -> nextId(u.connection(), input.id())
                .chain(id -> u.connection().preparedQuery("select 1 from workflow where id = $1").execute(Tuple.of(id)).invoke(rows -> {
                    if (rows.size() > 0) {
                        throw new ConflictException("workflow " + id + " already exists");
                    }
                }).replaceWith(id))
                .chain(id -> normalise(u.connection(), id, input).chain(def -> save(u, def, true))));
    }

    public Uni<WorkflowView> update(long id, WorkflowDefinition input) {
        WorkflowValidator.validate(input);
        return transactions.run(u -> lockWorkflow(u.connection(), id).chain(existing -> {
            WorkflowDefinition old = definition(existing);
            if (!old.tenantId().equals(input.tenantId()) || !old.workspaceId().equals(input.workspaceId()) || old.env() != input.env()) {
                throw new InvalidInputException("workspaceId", "a workflow cannot move to another tenant, workspace or environment");
            }
            return normalise(u.connection(), id, input).chain(def -> save(u, def, false));
        }));
    }

    public Uni<WorkflowView> get(long id) {
        return pool.withConnection(c -> c.preparedQuery("select * from workflow where id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("workflow", id);
            }
            return view(rows.iterator().next());
        }));
    }

    /**
     * Deploys the current definition as a new version, and generates instances per the nodes'
     * generation mode. Held in Checking when extensions cover {@code deploy-file}; then exactly the
     * definition that was checked is deployed, or nothing if it changed meanwhile.
     */
    public Uni<Outcome<WorkflowView>> deploy(long id, String operator) {
        return deploy(id, operator, null, null);
    }

    private Uni<Outcome<WorkflowView>> deploy(long id, String operator, UUID approved, String checkedDefinition) {
        return transactions.run(u -> lockWorkflow(u.connection(), id).chain(row -> {
            String definition = digest(row.getJsonObject("definition").encode());
            if (approved != null && !definition.equals(checkedDefinition)) {
                throw new ConflictException("workflow " + id + " changed after its deploy was checked: deploy it again");
            }
            if (approved != null) {
                return checks.markApplied(u, approved).chain(() -> deployChecked(u, row, id, operator)).map(v -> new Outcome<>(v, null));
            }
            WorkflowDefinition def = definition(row);
            return checks.holdNodes(u, ExtensionEvents.DEPLOY_FILE, row.getLong("tenant_id"), row.getLong("workspace_id"),
                            def.nodes().stream().map(NodeDefinition::id).sorted().toList(), List.of(row.getString("name")), operator,
                            new JsonObject().put("action", "deploy").put("workflowId", id).put("definition", definition)
                                    .put("nodeIds", def.nodes().stream().map(NodeDefinition::id).sorted().toList()))
                    .chain(held -> held != null ? Uni.createFrom().item(new Outcome<WorkflowView>(null, held))
                            : deployChecked(u, row, id, operator).map(v -> new Outcome<>(v, null)));
        }));
    }

    private static String digest(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<WorkflowView> deployChecked(UnitOfWork u, Row row, long id, String operator) {
        {
            SqlConnection c = u.connection();
            Instant now = u.now();
            WorkflowDefinition def = definition(row);
            Long[] nodeIds = def.nodes().stream().map(NodeDefinition::id).toArray(Long[]::new);
            return c.preparedQuery("select id from node where id = any($1) and workflow_id <> $2").execute(Tuple.of(nodeIds, id))
                    .invoke(clash -> {
                        if (clash.size() > 0) {
                            throw new ConflictException("node " + clash.iterator().next().getLong("id") + " is deployed in another workflow");
                        }
                    })
                    .chain(() -> nodeChanges.deployed(c, id))
                    .chain(before -> c.preparedQuery("select coalesce(max(version), 0) as v from deployment where workflow_id = $1").execute(Tuple.of(id))
                    .chain(v -> {
                        int next = v.iterator().next().getInteger("v") + 1;
                        return c.preparedQuery("insert into deployment (workflow_id, version, definition, deployed_by, deployed_at) values ($1, $2, $3, $4, $5)")
                                .execute(Tuple.of(id, next, row.getJsonObject("definition"), operator, now.atOffset(ZoneOffset.UTC)))
                                .chain(() -> c.preparedQuery("update workflow set deployed_version = $2, updated_at = $3 where id = $1")
                                        .execute(Tuple.of(id, next, now.atOffset(ZoneOffset.UTC))));
                    })
                    .chain(() -> Multi.createFrom().iterable(def.nodes()).onItem()
                            .transformToUniAndConcatenate(n -> upsertNode(c, id, def, n)).collect().asList())
                    .chain(() -> c.preparedQuery("update node set deployed = false where workflow_id = $1 and not (id = any($2))")
                            .execute(Tuple.of(id, nodeIds)))
                    .chain(() -> nodeChanges.deployed(c, id))
                    .chain(after -> nodeChanges.deployChanges(u, before, after, operator)))
                    .chain(() -> publishDirectory(u, id))
                    .chain(() -> generateAfterDeploy(u, id, ZoneId.of(row.getString("time_zone"))))
                    .chain(() -> c.preparedQuery("select * from workflow where id = $1").execute(Tuple.of(id)))
                    .map(rows -> view(rows.iterator().next()));
        }
    }

    /** What a held-able operation did: its result, or the checks it now waits for (docs/extensions.md). */
    public record Outcome<T>(T result, Held held) {
    }

    /**
     * Stops instance generation of the workflow; existing instances stay. Held in Checking when
     * extensions cover {@code undeploy-node} for its deployed nodes.
     */
    public Uni<Outcome<WorkflowView>> undeploy(long id, String operator) {
        return undeploy(id, operator, null);
    }

    private Uni<Outcome<WorkflowView>> undeploy(long id, String operator, UUID approved) {
        return transactions.run(u -> lockWorkflow(u.connection(), id)
                .chain(wf -> u.connection().preparedQuery("select id, name from node where workflow_id = $1 and deployed order by id").execute(Tuple.of(id))
                        .chain(nodes -> {
                            List<Long> ids = new ArrayList<>();
                            List<String> names = new ArrayList<>();
                            nodes.forEach(n -> {
                                ids.add(n.getLong("id"));
                                names.add(n.getString("name"));
                            });
                            return approved != null ? Uni.createFrom().item((Held) null)
                                    : checks.holdNodes(u, ExtensionEvents.UNDEPLOY_NODE, wf.getLong("tenant_id"), wf.getLong("workspace_id"), ids, names,
                                    operator, new JsonObject().put("action", "undeploy").put("workflowId", id).put("nodeIds", ids));
                        }))
                .chain(held -> held != null ? Uni.createFrom().item(new Outcome<WorkflowView>(null, held))
                        : u.connection().preparedQuery("update node set deployed = false where workflow_id = $1 and deployed returning id").execute(Tuple.of(id))
                        .call(gone -> {
                            List<Long> ids = new ArrayList<>();
                            gone.forEach(r -> ids.add(r.getLong("id")));
                            return nodeChanges.record(u, NodeChanges.DELETED, ids, operator);
                        })
                        .chain(() -> u.connection().preparedQuery("update workflow set deployed_version = null, updated_at = $2 where id = $1 returning *")
                                .execute(Tuple.of(id, u.now().atOffset(ZoneOffset.UTC))))
                        .call(() -> publishDirectory(u, id))
                        .call(() -> approved == null ? Uni.createFrom().voidItem() : checks.markApplied(u, approved))
                        .map(rows -> new Outcome<>(view(rows.iterator().next()), null))));
    }

    public Uni<List<Map<String, Object>>> deployments(long id) {
        return get(id).chain(wf -> pool.preparedQuery("select version, deployed_by, deployed_at from deployment where workflow_id = $1 order by version")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    rows.forEach(r -> out.add(Map.of("version", r.getInteger("version"), "deployedBy", r.getString("deployed_by"),
                            "deployedAt", r.getOffsetDateTime("deployed_at").toInstant().toString())));
                    return out;
                }));
    }

    /**
     * Freezes or unfreezes a deployed node: a frozen HTTP trigger node refuses triggers. Held in
     * Checking when extensions cover {@code freeze-node} / {@code unfreeze-node} in its workspace.
     */
    public Uni<Outcome<NodeDirectoryEntry>> setFrozen(long nodeId, boolean frozen, String operator) {
        return setFrozen(nodeId, frozen, operator, null);
    }

    private Uni<Outcome<NodeDirectoryEntry>> setFrozen(long nodeId, boolean frozen, String operator, UUID approved) {
        return transactions.run(u -> u.connection().preparedQuery("select * from node where id = $1 for update").execute(Tuple.of(nodeId))
                .chain(found -> {
                    if (found.size() == 0) {
                        throw new NotFoundException("deployed node", nodeId);
                    }
                    Row n = found.iterator().next();
                    Uni<Held> hold = approved != null ? Uni.createFrom().nullItem()
                            : checks.holdNodes(u, frozen ? ExtensionEvents.FREEZE_NODE : ExtensionEvents.UNFREEZE_NODE, n.getLong("tenant_id"),
                            n.getLong("workspace_id"), List.of(nodeId), List.of(n.getString("name")), operator,
                            new JsonObject().put("action", frozen ? "freeze" : "unfreeze").put("nodeIds", List.of(nodeId)));
                    return hold.chain(held -> held != null ? Uni.createFrom().item(new Outcome<NodeDirectoryEntry>(null, held))
                            : applyFrozen(u, n, frozen, operator, approved).map(entry -> new Outcome<>(entry, null)));
                }));
    }

    /** Sets the locked node's frozen flag; a real change is a node change (reference 002: freezing updates the node). */
    private Uni<NodeDirectoryEntry> applyFrozen(UnitOfWork u, Row node, boolean frozen, String operator, UUID approved) {
        long nodeId = node.getLong("id");
        return u.connection().preparedQuery("update node set frozen = $2 where id = $1 returning *").execute(Tuple.of(nodeId, frozen))
                .call(() -> node.getBoolean("frozen") == frozen ? Uni.createFrom().voidItem()
                        : nodeChanges.record(u, NodeChanges.UPDATED, List.of(nodeId), operator))
                .map(rows -> entry(rows.iterator().next()))
                .call(entry -> {
                    outbox.append(u, topics.nodes(), String.valueOf(nodeId), UUID.randomUUID(), entry);
                    return approved == null ? Uni.createFrom().voidItem() : checks.markApplied(u, approved);
                });
    }

    /**
     * Changes a deployed node's owner and/or resource group in place (and in the workflow's draft,
     * so the next deploy keeps it); instances generated from now on use them. A real change raises
     * {@code node-change-updated}.
     */
    public Uni<NodeDirectoryEntry> changeSettings(long nodeId, String owner, String resourceGroup, String operator) {
        if (owner == null && resourceGroup == null) {
            throw new InvalidInputException("owner", "give owner and/or resourceGroup");
        }
        if (owner != null && (owner.isBlank() || owner.length() > 64)) {
            throw new InvalidInputException("owner", "owner must be 1 to 64 characters");
        }
        JsonObject patch = new JsonObject();
        if (owner != null) {
            patch.put("owner", owner);
        }
        if (resourceGroup != null) {
            patch.put("resourceGroup", resourceGroup);
        }
        return transactions.run(u -> u.connection().preparedQuery("select * from node where id = $1 and deployed for update").execute(Tuple.of(nodeId))
                .chain(found -> {
                    if (found.size() == 0) {
                        throw new NotFoundException("deployed node", nodeId);
                    }
                    Row n = found.iterator().next();
                    return (resourceGroup == null ? Uni.createFrom().voidItem() : ResourceGroups.requireExists(u.connection(), resourceGroup))
                            .chain(() -> u.connection().preparedQuery("update node set owner = coalesce($2, owner), resource_group = coalesce($3, resource_group) "
                                    + "where id = $1 returning *").execute(Tuple.of(nodeId, owner, resourceGroup)))
                            .map(rows -> rows.iterator().next())
                            .call(after -> u.connection().preparedQuery("update workflow set definition = jsonb_set(definition, '{nodes}', "
                                            + "(select jsonb_agg(case when (e->>'id')::bigint = $2 then e || $3::jsonb else e end order by k) "
                                            + "from jsonb_array_elements(definition->'nodes') with ordinality x(e, k))), updated_at = $4 where id = $1")
                                    .execute(Tuple.of(n.getLong("workflow_id"), nodeId, patch, u.now().atOffset(ZoneOffset.UTC))))
                            .call(after -> after.getString("owner").equals(n.getString("owner"))
                                    && after.getString("resource_group").equals(n.getString("resource_group"))
                                    ? Uni.createFrom().voidItem()
                                    : nodeChanges.record(u, NodeChanges.UPDATED, List.of(nodeId), operator))
                            .map(WorkflowService::entry);
                }));
    }

    /** Applies a node operation whose checks all passed (ExtensionChecks calls this), in the transaction that closes it. */
    public Uni<Void> applyApproved(UUID pending, JsonObject request, String operator) {
        return switch (request.getString("action")) {
            case "freeze", "unfreeze" -> setFrozen(request.getJsonArray("nodeIds").getLong(0), request.getString("action").equals("freeze"),
                    operator, pending).replaceWithVoid();
            case "undeploy" -> undeploy(request.getLong("workflowId"), operator, pending).replaceWithVoid();
            case "deploy" -> deploy(request.getLong("workflowId"), operator, pending, request.getString("definition")).replaceWithVoid();
            default -> throw new IllegalStateException("unknown node action " + request.getString("action"));
        };
    }

    public Uni<NodeDirectoryEntry> node(long nodeId) {
        return pool.preparedQuery("select * from node where id = $1").execute(Tuple.of(nodeId)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("deployed node", nodeId);
            }
            return entry(rows.iterator().next());
        });
    }

    /** Generates the instances of one day for a deployed workflow (idempotent); returns how many were created. */
    public Uni<Integer> generate(long id, LocalDate day) {
        return transactions.run(u -> lockWorkflow(u.connection(), id).chain(row -> {
            if (row.getInteger("deployed_version") == null) {
                throw new ConflictException("workflow " + id + " is not deployed");
            }
            ZoneId zone = ZoneId.of(row.getString("time_zone"));
            return generator.generate(u, id, day, day.atStartOfDay(zone).toInstant(), g -> true);
        }));
    }

    private Uni<Void> generateAfterDeploy(UnitOfWork u, long id, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(u.now(), zone);
        LocalDate tomorrow = today.plusDays(1);
        return generator.generate(u, id, today, u.now(), g -> InstanceGeneration.IMMEDIATE.name().equals(g))
                .chain(() -> generator.generate(u, id, tomorrow, tomorrow.atStartOfDay(zone).toInstant(), g -> true))
                .replaceWithVoid();
    }

    private Uni<Void> upsertNode(SqlConnection c, long workflowId, WorkflowDefinition def, NodeDefinition n) {
        String sql = "insert into node (id, workflow_id, tenant_id, workspace_id, env, name, type, script, cron, scheduler_type, priority, "
                + "resource_group, rerun_mode, owner, instance_generation, upstream, retries, retry_delay_ms, timeout_seconds, parameters, lost_retries, deployed) "
                + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, true) on conflict (id) do update set "
                + "workflow_id = excluded.workflow_id, name = excluded.name, type = excluded.type, script = excluded.script, cron = excluded.cron, "
                + "scheduler_type = excluded.scheduler_type, priority = excluded.priority, resource_group = excluded.resource_group, "
                + "rerun_mode = excluded.rerun_mode, owner = excluded.owner, instance_generation = excluded.instance_generation, "
                + "upstream = excluded.upstream, retries = excluded.retries, retry_delay_ms = excluded.retry_delay_ms, "
                + "timeout_seconds = excluded.timeout_seconds, parameters = excluded.parameters, lost_retries = excluded.lost_retries, deployed = true";
        return ResourceGroups.requireExists(c, n.resourceGroup())
                .chain(() -> c.preparedQuery(sql).execute(Tuple.from(new Object[] {n.id(), workflowId, def.tenantId(), def.workspaceId(),
                        def.env().name(), n.name(), n.type().name(), n.script(), n.cron(), n.schedulerType().name(), n.priority(),
                        n.resourceGroup(), n.rerunMode().name(), n.owner(), n.instanceGeneration().name(), n.upstream().toArray(new Long[0]),
                        n.type() == NodeType.SHELL ? n.retries() : 0, n.retryIntervalSeconds() * 1000L, n.timeoutSeconds(),
                        new io.vertx.core.json.JsonObject(new java.util.HashMap<String, Object>(n.parameters())), n.lostRetries()})))
                .replaceWithVoid();
    }

    private Uni<Void> publishDirectory(UnitOfWork u, long workflowId) {
        return u.connection().preparedQuery("select * from node where workflow_id = $1 order by id").execute(Tuple.of(workflowId))
                .invoke(rows -> rows.forEach(r -> outbox.append(u, topics.nodes(), String.valueOf(r.getLong("id")), UUID.randomUUID(),
                        r.getBoolean("deployed") ? entry(r) : null)))
                .replaceWithVoid();
    }

    /** Fills in ids and defaults; checks node ids are not used by another workflow and the graph. */
    private Uni<WorkflowDefinition> normalise(SqlConnection c, long id, WorkflowDefinition input) {
        return Multi.createFrom().iterable(input.nodes()).onItem()
                .transformToUniAndConcatenate(n -> nextId(c, n.id()).map(nodeId -> n.normalised(nodeId, input.owner())))
                .collect().asList()
                .chain(nodes -> {
                    WorkflowValidator.validateGraph(nodes);
                    Long[] ids = nodes.stream().map(NodeDefinition::id).toArray(Long[]::new);
                    return c.preparedQuery("select n.id from node n where n.id = any($1) and n.workflow_id <> $2 union "
                                    + "select (e->>'id')::bigint from workflow w, jsonb_array_elements(w.definition->'nodes') e "
                                    + "where w.id <> $2 and (e->>'id')::bigint = any($1) limit 1")
                            .execute(Tuple.of(ids, id))
                            .map(clash -> {
                                if (clash.size() > 0) {
                                    throw new ConflictException("node id " + clash.iterator().next().getLong(0) + " belongs to another workflow");
                                }
                                String zone = input.timeZone() == null || input.timeZone().isBlank() ? DEFAULT_TIME_ZONE : ZoneId.of(input.timeZone()).getId();
                                return new WorkflowDefinition(id, input.tenantId(), input.workspaceId(), input.env(), input.name(),
                                        input.owner(), zone, nodes);
                            });
                });
    }

    private Uni<WorkflowView> save(UnitOfWork u, WorkflowDefinition def, boolean insert) {
        SqlConnection c = u.connection();
        JsonObject definition;
        try {
            definition = new JsonObject(json.writeValueAsString(def));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        String sql = insert
                ? "insert into workflow (id, tenant_id, workspace_id, env, name, owner, time_zone, definition, created_at, updated_at) "
                + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning *"
                : "update workflow set tenant_id = $2, workspace_id = $3, env = $4, name = $5, owner = $6, time_zone = $7, definition = $8, "
                + "updated_at = $9 where id = $1 returning *";
        return c.preparedQuery("select id from workflow where workspace_id = $1 and env = $2 and name = $3 and id <> $4")
                .execute(Tuple.of(def.workspaceId(), def.env().name(), def.name(), def.id()))
                .invoke(rows -> {
                    if (rows.size() > 0) {
                        throw new ConflictException("workspace " + def.workspaceId() + " already has a " + def.env() + " workflow named '" + def.name() + "'");
                    }
                })
                .chain(() -> c.preparedQuery(sql).execute(Tuple.from(new Object[] {def.id(), def.tenantId(), def.workspaceId(), def.env().name(),
                        def.name(), def.owner(), def.timeZone(), definition, u.now().atOffset(ZoneOffset.UTC)})))
                .map(rows -> view(rows.iterator().next()));
    }

    private Uni<Row> lockWorkflow(SqlConnection c, long id) {
        return c.preparedQuery("select * from workflow where id = $1 for update").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("workflow", id);
            }
            return rows.iterator().next();
        });
    }

    private static Uni<Long> nextId(SqlConnection c, Long given) {
        return given != null ? Uni.createFrom().item(given)
                : c.query("select nextval('entity_id_seq')").execute().map(rows -> rows.iterator().next().getLong(0));
    }

    private WorkflowDefinition definition(Row row) {
        try {
            return json.readValue(row.getJsonObject("definition").encode(), WorkflowDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored definition of workflow " + row.getLong("id") + " is unreadable", e);
        }
    }

    private WorkflowView view(Row row) {
        WorkflowDefinition def = definition(row);
        return new WorkflowView(row.getLong("id"), row.getLong("tenant_id"), row.getLong("workspace_id"), Env.valueOf(row.getString("env")),
                row.getString("name"), row.getString("owner"), row.getString("time_zone"), row.getInteger("deployed_version"), def.nodes(),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }

    private static NodeDirectoryEntry entry(Row r) {
        return new NodeDirectoryEntry(r.getLong("id"), r.getLong("workflow_id"), r.getLong("tenant_id"), r.getLong("workspace_id"),
                r.getString("env"), r.getString("name"), r.getString("type"), r.getBoolean("frozen"));
    }
}
