package dev.triggerlayer.scheduler.extension.rest;

import dev.triggerlayer.kit.auth.Roles;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.scheduler.extension.model.CheckView;
import dev.triggerlayer.scheduler.extension.model.PendingView;
import dev.triggerlayer.scheduler.extension.model.VerdictInput;
import dev.triggerlayer.scheduler.extension.service.ExtensionChecks;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Checks and the operations they hold; extensions' answers (the gateway relays the signed callbacks here). */
@Path("/api/v1")
@Tag(name = "Extension checks")
public class CheckResource {

    private final ExtensionChecks checks;

    public CheckResource(ExtensionChecks checks) {
        this.checks = checks;
    }

    @GET
    @Path("extension-checks/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.READER, Roles.CHECK_ANSWERS})
    public Uni<CheckView> check(@PathParam("id") String id) {
        return checks.view(uuid("id", id));
    }

    @POST
    @Path("extension-checks/{id}/verdicts")
    @RolesAllowed({Roles.OPERATOR, Roles.CHECK_ANSWERS})
    @Operation(summary = "An extension's answer: OK, WARN or FAIL (the same answer again is accepted, another refused)")
    public Uni<CheckView> verdict(@PathParam("id") String id, @Valid @NotNull VerdictInput verdict) {
        return checks.verdict(uuid("id", id), verdict);
    }

    @GET
    @Path("pending-operations/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.READER, Roles.EXTENSION_HOLDS})
    @Operation(summary = "An operation held by extension checks, with its checks and their answers")
    public Uni<PendingView> pending(@PathParam("id") String id) {
        return checks.pending(uuid("id", id));
    }

    @POST
    @Path("extension-holds")
    @RolesAllowed({Roles.OPERATOR, Roles.EXTENSION_HOLDS})
    @Operation(summary = "Another service's tenant-level operation (delete-project): 202 held in Checking, or 200 NotChecked (apply it now)")
    public Uni<jakarta.ws.rs.core.Response> hold(@Valid @NotNull dev.triggerlayer.scheduler.extension.model.HoldInput input) {
        return checks.holdForService(input).map(held -> held == null
                ? jakarta.ws.rs.core.Response.ok(java.util.Map.of("state", "NotChecked")).build()
                : jakarta.ws.rs.core.Response.accepted(java.util.Map.of("state", "Checking", "pendingOperationId", held.pendingOperationId().toString(),
                        "checkIds", held.checkIds().stream().map(Object::toString).toList())).build());
    }

    /** @param applied whether the asking service applied the approved operation; {@code reason} when it could not */
    public record OutcomeInput(@NotNull Boolean applied, @jakarta.validation.constraints.Size(max = 2048) String reason) {
    }

    @POST
    @Path("pending-operations/{id}/outcome")
    @RolesAllowed({Roles.OPERATOR, Roles.EXTENSION_HOLDS})
    @Operation(summary = "The asking service applied an approved operation (or could not, with the reason)")
    public Uni<PendingView> outcome(@PathParam("id") String id, @Valid @NotNull OutcomeInput input) {
        return checks.reportOutcome(uuid("id", id), input.applied(), input.reason());
    }

    private static UUID uuid(String field, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "is not a check or operation id");
        }
    }
}
