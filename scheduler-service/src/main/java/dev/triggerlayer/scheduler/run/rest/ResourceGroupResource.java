package dev.triggerlayer.scheduler.run.rest;

import dev.triggerlayer.kit.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.triggerlayer.kit.error.ConflictException;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resource groups: named pools of run slots. An instance waits in status 3 while its group has no
 * free slot; the HTTP trigger condition "the resource group has capacity" counts the same slots.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/v1/resource-groups")
@Tag(name = "Resource groups")
public class ResourceGroupResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final String SELECT = "select rg.name, rg.slots, "
            + "(select count(*) from task_instance t where t.resource_group = rg.name and t.status = 4) as running, "
            + "(select count(*) from task_instance t where t.resource_group = rg.name and t.status = 3) as waiting "
            + "from resource_group rg ";

    private final Pool pool;

    public ResourceGroupResource(Pool pool) {
        this.pool = pool;
    }

    /** A resource group with its slots in use ({@code running}) and its queue ({@code waiting}). */
    public record ResourceGroupView(String name, int slots, long running, long waiting) {
        static ResourceGroupView of(Row r) {
            return new ResourceGroupView(r.getString("name"), r.getInteger("slots"), r.getLong("running"), r.getLong("waiting"));
        }
    }

    /** @param slots how many instances of the group may run at once (1–10000) */
    public record ResourceGroupSettings(@NotNull @Min(1) @Max(10000) Integer slots) {
    }

    @GET
    public Uni<List<ResourceGroupView>> list() {
        return pool.query(SELECT + "order by rg.name").execute().map(rows -> {
            List<ResourceGroupView> all = new ArrayList<>();
            rows.forEach(r -> all.add(ResourceGroupView.of(r)));
            return all;
        });
    }

    @GET
    @Path("{name}")
    public Uni<ResourceGroupView> get(@PathParam("name") String name) {
        return pool.preparedQuery(SELECT + "where rg.name = $1").execute(Tuple.of(checked(name))).map(rows -> {
            if (rows.size() == 0) {
                throw new NotFoundException("resource group", name);
            }
            return ResourceGroupView.of(rows.iterator().next());
        });
    }

    /** Creates the group or changes its slots; fewer slots than running instances lets those finish and holds the rest. */
    @PUT
    @Path("{name}")
    @Operation(summary = "Create a resource group or change its slots")
    public Uni<ResourceGroupView> put(@PathParam("name") String name, @Valid @NotNull ResourceGroupSettings settings) {
        return pool.preparedQuery("insert into resource_group (name, slots) values ($1, $2) on conflict (name) do update set slots = excluded.slots")
                .execute(Tuple.of(checked(name), settings.slots()))
                .chain(() -> get(name));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a resource group no node uses")
    public Uni<Void> delete(@PathParam("name") String name) {
        checked(name);
        if (name.equals("default")) {
            throw new ConflictException("the default resource group cannot be deleted");
        }
        return pool.withTransaction(c -> c.preparedQuery("select name from resource_group where name = $1 for update").execute(Tuple.of(name))
                .chain(found -> {
                    if (found.size() == 0) {
                        throw new NotFoundException("resource group", name);
                    }
                    return c.preparedQuery("select (select count(*) from node where resource_group = $1 and deployed) + "
                            + "(select count(*) from task_instance where resource_group = $1 and status in (1, 2, 3, 4))").execute(Tuple.of(name));
                })
                .chain(users -> {
                    long n = users.iterator().next().getLong(0);
                    if (n > 0) {
                        throw new ConflictException("resource group '" + name + "' is still used by deployed nodes or unfinished instances");
                    }
                    return c.preparedQuery("delete from resource_group where name = $1").execute(Tuple.of(name)).replaceWithVoid();
                }));
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "a resource group name has 1-64 letters, digits, '_', '.', '-'");
        }
        return name;
    }
}
