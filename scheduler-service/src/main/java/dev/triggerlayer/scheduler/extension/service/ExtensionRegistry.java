package dev.triggerlayer.scheduler.extension.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import dev.triggerlayer.scheduler.extension.model.ExtensionEvents;
import dev.triggerlayer.scheduler.extension.model.ExtensionInput;
import dev.triggerlayer.scheduler.extension.model.ExtensionView;
import dev.triggerlayer.scheduler.extension.model.WorkspaceSetting;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Extensions of a tenant (reference 004): registration yields the extension code; an extension
 * takes effect in its test workspace until it is published, then where a workspace administrator
 * enables it. Every change is audited with its operator.
 */
@ApplicationScoped
public class ExtensionRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Transactions transactions;
    private final ObjectMapper json;
    private final int defaultTimeoutSeconds;

    public ExtensionRegistry(Transactions transactions, ObjectMapper json, SchedulerConfig config) {
        this.transactions = transactions;
        this.json = json;
        this.defaultTimeoutSeconds = (int) config.extensions().defaultCheckTimeout().toSeconds();
    }

    public Uni<ExtensionView> register(ExtensionInput in, String operator) {
        check(in);
        String code = "ext_" + HexFormat.of().formatHex(bytes(12));
        return transactions.run(u -> u.connection().preparedQuery("insert into extension (code, tenant_id, name, owner, event_codes, "
                                + "test_workspace_id, detail_url, document_url, parameters, options_schema, check_timeout_s, timeout_result, "
                                + "created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)")
                        .execute(Tuple.from(new Object[] {code, in.tenantId(), in.name(), in.owner(), in.eventCodes().toArray(new String[0]),
                                in.testWorkspaceId(), in.detailUrl(), in.documentUrl(), in.parameters() == null ? "" : in.parameters(),
                                jsonb(in.optionsSchema()), timeout(in), in.timeoutResult() == null ? "FAIL" : in.timeoutResult(),
                                u.now().atOffset(ZoneOffset.UTC)}))
                        .chain(() -> audit(u, code, "register", operator, in)))
                .chain(() -> get(code));
    }

    public Uni<ExtensionView> update(String code, ExtensionInput in, String operator) {
        check(in);
        return transactions.run(u -> lock(u, code)
                        .invoke(row -> {
                            if (!row.getLong("tenant_id").equals(in.tenantId())) {
                                throw new InvalidInputException("tenantId", "an extension stays with the tenant that registered it");
                            }
                        })
                        .chain(() -> u.connection().preparedQuery("update extension set name = $2, owner = $3, event_codes = $4, "
                                        + "test_workspace_id = $5, detail_url = $6, document_url = $7, parameters = $8, options_schema = $9, "
                                        + "check_timeout_s = $10, timeout_result = $11, updated_at = $12 where code = $1")
                                .execute(Tuple.from(new Object[] {code, in.name(), in.owner(), in.eventCodes().toArray(new String[0]),
                                        in.testWorkspaceId(), in.detailUrl(), in.documentUrl(), in.parameters() == null ? "" : in.parameters(),
                                        jsonb(in.optionsSchema()), timeout(in), in.timeoutResult() == null ? "FAIL" : in.timeoutResult(),
                                        u.now().atOffset(ZoneOffset.UTC)})))
                        .chain(() -> audit(u, code, "update", operator, in)))
                .chain(() -> get(code));
    }

    public Uni<ExtensionView> publish(String code, String operator) {
        return transactions.run(u -> lock(u, code)
                        .chain(() -> u.connection().preparedQuery("update extension set published = true, updated_at = $2 where code = $1")
                                .execute(Tuple.of(code, u.now().atOffset(ZoneOffset.UTC))))
                        .chain(() -> audit(u, code, "publish", operator, null)))
                .chain(() -> get(code));
    }

    /** A workspace administrator enables (or disables) a published extension in the workspace. */
    public Uni<ExtensionView> setWorkspace(String code, long workspaceId, WorkspaceSetting setting, String operator) {
        return transactions.run(u -> lock(u, code)
                        .invoke(row -> {
                            if (!row.getBoolean("published") && setting.enabled()) {
                                throw new ConflictException("extension " + code + " is not published: it runs only in its test workspace "
                                        + row.getLong("test_workspace_id") + " until it is");
                            }
                        })
                        .chain(() -> u.connection().preparedQuery("insert into extension_workspace (extension_code, workspace_id, enabled, "
                                        + "options, updated_by, updated_at) values ($1, $2, $3, $4, $5, $6) on conflict (extension_code, workspace_id) "
                                        + "do update set enabled = excluded.enabled, options = excluded.options, updated_by = excluded.updated_by, "
                                        + "updated_at = excluded.updated_at")
                                .execute(Tuple.from(new Object[] {code, workspaceId, setting.enabled(), jsonb(setting.options()), operator,
                                        u.now().atOffset(ZoneOffset.UTC)})))
                        .chain(() -> audit(u, code, setting.enabled() ? "enable" : "disable", operator, Map.of("workspaceId", workspaceId))))
                .chain(() -> get(code));
    }

    /** Deletes the extension: it covers no new operation; checks it already holds wait for their other answers or time out. */
    public Uni<Void> delete(String code, String operator) {
        return transactions.run(u -> lock(u, code)
                .chain(() -> u.connection().preparedQuery("update extension set deleted = true, updated_at = $2 where code = $1")
                        .execute(Tuple.of(code, u.now().atOffset(ZoneOffset.UTC))))
                .chain(() -> audit(u, code, "delete", operator, null)));
    }

    public Uni<ExtensionView> get(String code) {
        return views("e.code = $1", code).map(found -> {
            if (found.isEmpty()) {
                throw new NotFoundException("extension", code);
            }
            return found.get(0);
        });
    }

    public Uni<List<ExtensionView>> list(long tenantId) {
        return views("e.tenant_id = $1", tenantId);
    }

    /** The live extensions matching {@code where} with their workspace settings, in two queries. */
    private Uni<List<ExtensionView>> views(String where, Object arg) {
        return transactions.run(u -> u.connection().preparedQuery("select * from extension e where " + where + " and not e.deleted "
                        + "order by e.created_at, e.code").execute(Tuple.of(arg))
                .chain(extensions -> u.connection().preparedQuery("select w.* from extension_workspace w join extension e on e.code = w.extension_code "
                                + "where " + where + " and not e.deleted order by w.workspace_id").execute(Tuple.of(arg))
                        .map(settings -> {
                            Map<String, List<ExtensionView.Workspace>> byCode = new java.util.HashMap<>();
                            settings.forEach(w -> byCode.computeIfAbsent(w.getString("extension_code"), k -> new ArrayList<>())
                                    .add(new ExtensionView.Workspace(w.getLong("workspace_id"), w.getBoolean("enabled"), node(w.getValue("options")),
                                            w.getString("updated_by"), w.getOffsetDateTime("updated_at").toInstant())));
                            List<ExtensionView> out = new ArrayList<>();
                            extensions.forEach(r -> out.add(view(r, byCode.getOrDefault(r.getString("code"), List.of()))));
                            return out;
                        })));
    }

    /** Audit entries of an extension, oldest first. */
    public Uni<List<Map<String, Object>>> audit(String code) {
        return transactions.run(u -> u.connection().preparedQuery("select * from extension_audit where extension_code = $1 order by id")
                .execute(Tuple.of(code))
                .map(rows -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    rows.forEach(r -> out.add(Map.of("action", r.getString("action"), "operator", r.getString("operator"),
                            "at", r.getOffsetDateTime("at").toInstant().toString(),
                            "detail", r.getValue("detail") == null ? Map.of() : ((JsonObject) r.getValue("detail")).getMap())));
                    return out;
                }));
    }

    private Uni<Row> lock(UnitOfWork u, String code) {
        return u.connection().preparedQuery("select * from extension where code = $1 and not deleted for update").execute(Tuple.of(code))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new NotFoundException("extension", code);
                    }
                    return rows.iterator().next();
                });
    }

    private Uni<Void> audit(UnitOfWork u, String code, String action, String operator, Object detail) {
        return u.connection().preparedQuery("insert into extension_audit (extension_code, action, operator, detail, at) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.from(new Object[] {code, action, operator, detail == null ? null : new JsonObject(json.convertValue(detail, Map.class)),
                        u.now().atOffset(ZoneOffset.UTC)}))
                .replaceWithVoid();
    }

    private static void check(ExtensionInput in) {
        for (String e : in.eventCodes()) {
            if (!ExtensionEvents.known(e)) {
                throw new InvalidInputException("eventCodes", "'" + shorten(e) + "' is not an extension point event of this system: one of "
                        + String.join(", ", ExtensionEvents.all()));
            }
        }
        // Reference 004: an extension handles events of one level, tenant or workspace.
        long tenantLevel = in.eventCodes().stream().filter(ExtensionEvents.TENANT::contains).count();
        if (tenantLevel > 0 && tenantLevel < in.eventCodes().size()) {
            throw new InvalidInputException("eventCodes", "mixes tenant-level (" + String.join(", ", ExtensionEvents.TENANT)
                    + ") and workspace-level events: an extension handles one level");
        }
        for (var url : new String[][] {{"detailUrl", in.detailUrl()}, {"documentUrl", in.documentUrl()}}) {
            if (url[1] != null && !url[1].isBlank()) {
                try {
                    URI uri = new URI(url[1]);
                    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                        throw new InvalidInputException(url[0], "must be an http(s) URL");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw new InvalidInputException(url[0], "must be an http(s) URL");
                }
            }
        }
        if (in.parameters() != null) {
            for (String line : in.parameters().split("\n")) {
                if (!line.isBlank() && !line.contains("=")) {
                    throw new InvalidInputException("parameters", "each line is key=value: '" + shorten(line) + "'");
                }
            }
        }
    }

    private int timeout(ExtensionInput in) {
        return in.checkTimeoutSeconds() == null ? defaultTimeoutSeconds : in.checkTimeoutSeconds();
    }

    private JsonObject jsonb(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("options", "must be a JSON object");
        }
        return new JsonObject(json.convertValue(node, Map.class));
    }

    private ExtensionView view(Row r, List<ExtensionView.Workspace> workspaces) {
        return new ExtensionView(r.getString("code"), r.getLong("tenant_id"), r.getString("name"), r.getString("owner"),
                List.of(r.getArrayOfStrings("event_codes")), r.getLong("test_workspace_id"), r.getString("detail_url"),
                r.getString("document_url"), r.getString("parameters"), node(r.getValue("options_schema")), r.getInteger("check_timeout_s"),
                r.getString("timeout_result"), r.getBoolean("published"), workspaces,
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }

    private JsonNode node(Object jsonb) {
        return jsonb == null ? null : json.valueToTree(((JsonObject) jsonb).getMap());
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
