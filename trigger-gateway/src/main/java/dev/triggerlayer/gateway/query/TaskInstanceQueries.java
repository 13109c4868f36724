package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.gateway.auth.Authorizer;
import dev.triggerlayer.gateway.auth.Caller;
import dev.triggerlayer.gateway.rpc.RpcParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/** GetTaskInstance and ListTaskInstances: what a caller may see of the instances its triggers touched. */
@ApplicationScoped
public class TaskInstanceQueries {

    private final SchedulerClient scheduler;
    private final Authorizer authorizer;
    private final ObjectMapper json;

    public TaskInstanceQueries(SchedulerClient scheduler, Authorizer authorizer, ObjectMapper json) {
        this.scheduler = scheduler;
        this.authorizer = authorizer;
        this.json = json;
    }

    public Uni<ObjectNode> get(Caller caller, long id) {
        return scheduler.instance(id).onFailure().transform(SchedulerClient::asApiError).map(instance -> {
            authorizer.mayRead(caller, instance.path("ProjectId").asLong());
            ObjectNode out = json.createObjectNode();
            out.set("Data", instance);
            return out;
        });
    }

    public Uni<ObjectNode> list(Caller caller, RpcParams params) {
        long projectId = params.requiredLong("ProjectId");
        authorizer.mayRead(caller, projectId);
        Map<String, String> query = params.pick("ProjectEnv", "BizDate", "TaskId", "Status", "TriggerTime", "SortBy", "PageNumber", "PageSize");
        query.put("ProjectId", String.valueOf(projectId));
        return scheduler.instances(query).onFailure().transform(SchedulerClient::asApiError).map(body -> {
            ObjectNode out = json.createObjectNode();
            out.set("PagingInfo", body.path("PagingInfo"));
            return out;
        });
    }
}
