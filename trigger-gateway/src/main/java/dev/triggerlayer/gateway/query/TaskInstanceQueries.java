package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authorizer;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.rpc.RpcParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * GetTaskInstance and ListTaskInstances (2024-05-18) with the official names and types: the
 * scheduler's query API answers, {@link OfficialTaskInstance} shapes. A caller reads what it may
 * trigger: its own tenant's workspaces, or across tenants the nodes its grants cover.
 */
@ApplicationScoped
public class TaskInstanceQueries {

    private final SchedulerClient scheduler;
    private final PeerSchedulers peers;
    private final dev.triggerlayer.gateway.directory.Directory directory;
    private final Authorizer authorizer;
    private final ObjectMapper json;

    public TaskInstanceQueries(SchedulerClient scheduler, PeerSchedulers peers, dev.triggerlayer.gateway.directory.Directory directory,
                               Authorizer authorizer, ObjectMapper json) {
        this.scheduler = scheduler;
        this.peers = peers;
        this.directory = directory;
        this.authorizer = authorizer;
        this.json = json;
    }

    public Uni<ObjectNode> get(Caller caller, RpcParams params) {
        params.onlyThese("GetTaskInstance", Set.of("Id"));
        long id = params.requiredLong("Id");
        // An instance id names no tenant: it is looked for in the caller's tenant's home region.
        Uni<JsonNode> found = peers.forTenant(caller.tenantId()).map(api -> remote(api.instance(id))).orElseGet(() -> scheduler.instance(id));
        return found.onFailure().transform(SchedulerClient::asApiError).map(instance -> {
            Authorizer.ReadScope scope = authorizer.mayRead(caller, instance.path("ProjectId").asLong(), instance.path("TaskId").asLong());
            ObjectNode out = json.createObjectNode();
            out.set("TaskInstance", OfficialTaskInstance.of(instance, true, scope.ownTenant(), json));
            return out;
        });
    }

    public Uni<ObjectNode> list(Caller caller, RpcParams params) {
        params.onlyThese("ListTaskInstances", ListTaskInstancesRequest.PARAMETERS);
        Authorizer.ReadScope scope = authorizer.readScope(caller, params.requiredLong("ProjectId"));
        ListTaskInstancesRequest request = ListTaskInstancesRequest.parse(params, scope, json);
        if (request.query == null) {
            return Uni.createFrom().item(page(request.pageNumber, request.pageSize, 0, json.createArrayNode()));
        }
        var workspace = directory.workspace(params.requiredLong("ProjectId"));
        java.util.Optional<SchedulerApi> home = workspace == null ? java.util.Optional.empty() : peers.forTenant(workspace.tenantId());
        Uni<JsonNode> found = home.map(api -> remote(api.instances(request.query))).orElseGet(() -> scheduler.instances(request.query));
        return found.onFailure().transform(SchedulerClient::asApiError).map(body -> {
            JsonNode info = body.path("PagingInfo");
            ArrayNode items = json.createArrayNode();
            info.path("TaskInstances").forEach(i -> items.add(OfficialTaskInstance.of(i, false, scope.ownTenant(), json)));
            return page(info.path("PageNumber").asInt(), info.path("PageSize").asInt(), info.path("TotalCount").asLong(), items);
        });
    }

    /** A call to another region's scheduler: bounded like the local one's. */
    private static Uni<JsonNode> remote(Uni<JsonNode> call) {
        return call.ifNoItem().after(java.time.Duration.ofSeconds(5)).fail();
    }

    private ObjectNode page(int number, int size, long total, ArrayNode items) {
        ObjectNode out = json.createObjectNode();
        ObjectNode info = out.putObject("PagingInfo");
        info.put("PageNumber", number);
        info.put("PageSize", size);
        info.put("TotalCount", total);
        info.set("TaskInstances", items);
        return out;
    }
}
