package dev.triggerlayer.scheduler.instance.operation.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.scheduler.instance.operation.model.Operation;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRecord;
import dev.triggerlayer.scheduler.instance.operation.model.OperationRequest;
import dev.triggerlayer.scheduler.instance.operation.service.InstanceOperations;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * Operator actions on task instances: {@code freeze}, {@code unfreeze}, {@code kill},
 * {@code rerun}, {@code set-success} and {@code delete-dependencies}. The operator is named in
 * the {@code X-Operator} header (required) and recorded with every change and event.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/instance-operations")
@Tag(name = "Instance operations")
public class InstanceOperationResource {

    private final InstanceOperations operations;

    public InstanceOperationResource(InstanceOperations operations) {
        this.operations = operations;
    }

    @POST
    @Path("{operation}")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Apply an operation to task instances (all or none)")
    public Uni<Map<String, Object>> apply(@PathParam("operation") String name, @HeaderParam("X-Operator") String operator,
                                          @Valid @NotNull OperationRequest request) {
        Operation op = Operation.fromPath(name);
        if (op == null) {
            throw new InvalidInputException("operation", "unknown operation '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    + "': one of freeze, unfreeze, kill, rerun, set-success, delete-dependencies");
        }
        if (operator == null || operator.isBlank()) {
            throw new InvalidInputException("X-Operator", "is required: who performs the operation");
        }
        String who = Params.operator(operator);
        return operations.apply(op, request, who).map(outcome -> outcome.held() != null
                ? Map.of("operation", op.eventCode,
                        "operator", who,
                        // Held by extensions (docs/extensions.md): nothing changed yet.
                        "state", "Checking",
                        "pendingOperationId", outcome.held().pendingOperationId().toString(),
                        "checkIds", outcome.held().checkIds().stream().map(Object::toString).toList(),
                        "instanceIds", request.instanceIds().stream().sorted().toList())
                : Map.of("operation", op.eventCode,
                        "operator", who,
                        "state", "Applied",
                        "operationIds", outcome.records().stream().map(OperationRecord::operationId).toList(),
                        "instanceIds", outcome.records().stream().flatMap(r -> r.taskInstanceIds().stream()).sorted().toList()));
    }
}
