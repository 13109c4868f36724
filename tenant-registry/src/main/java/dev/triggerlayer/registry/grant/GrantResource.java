package dev.triggerlayer.registry.grant;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.rest.Params;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Cross-tenant trigger grants. {@code X-Operator} names who acts, for the audit trail. */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/grants")
@Tag(name = "Cross-tenant grants")
public class GrantResource {

    private final GrantService grants;

    public GrantResource(GrantService grants) {
        this.grants = grants;
    }

    @POST
    public Uni<Response> grant(@Valid @NotNull GrantInput input, @HeaderParam("X-Operator") String operator) {
        return grants.grant(input, operatorName(operator)).map(v -> Response.status(Response.Status.CREATED).entity(v).build());
    }

    @GET
    public Uni<List<GrantView>> list(@QueryParam("tenantId") String tenantId, @QueryParam("granteeTenantId") String granteeTenantId) {
        return grants.list(tenantId == null ? null : Params.id("tenantId", tenantId),
                granteeTenantId == null ? null : Params.id("granteeTenantId", granteeTenantId));
    }

    @GET
    @Path("{grantId}")
    public Uni<GrantView> get(@PathParam("grantId") String grantId) {
        return grants.get(Params.id("grantId", grantId));
    }

    @DELETE
    @Path("{grantId}")
    public Uni<GrantView> revoke(@PathParam("grantId") String grantId, @HeaderParam("X-Operator") String operator) {
        return grants.revoke(Params.id("grantId", grantId), operatorName(operator));
    }

    @GET
    @Path("{grantId}/audit")
    public Uni<List<GrantAuditView>> audit(@PathParam("grantId") String grantId) {
        return grants.audit(Params.id("grantId", grantId));
    }

    private static String operatorName(String header) {
        if (header == null || header.isBlank()) {
            return "operator";
        }
        String name = header.strip();
        if (name.length() > 64) {
            throw new dev.triggerlayer.kit.error.InvalidInputException("X-Operator", "must be at most 64 characters");
        }
        return name;
    }
}
