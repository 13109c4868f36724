package dev.triggerlayer.scheduler.run.repository;

import dev.triggerlayer.kit.error.InvalidInputException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The resource groups a node or a rule may name. */
public final class ResourceGroups {

    private ResourceGroups() {
    }

    /** Fails with {@code InvalidParameter} on {@code resourceGroup} when there is no group of that name. */
    public static Uni<Void> requireExists(SqlConnection c, String name) {
        return c.preparedQuery("select 1 from resource_group where name = $1").execute(Tuple.of(name))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw new InvalidInputException("resourceGroup", "there is no resource group '" + name + "'");
                    }
                })
                .replaceWithVoid();
    }
}
