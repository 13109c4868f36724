package dev.triggerlayer.publisher.subscription.repository;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.publisher.subscription.model.DeliveryFormat;
import dev.triggerlayer.publisher.subscription.model.EventFilter;
import dev.triggerlayer.publisher.subscription.model.Subscription;
import dev.triggerlayer.publisher.subscription.model.Target;
import dev.triggerlayer.publisher.subscription.model.TargetKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Subscriptions in the {@code publisher} schema, in plain SQL. */
@ApplicationScoped
public class SubscriptionRepository {

    private static final String COLUMNS = "id, tenant_id, workspace_id, name, bus_name, event_types, event_codes, project_ids, "
            + "target_kind, target_topic, target_url, target_format, secret_key_id, sealed_secret, replay_from, "
            + "replay_generation, created_at, updated_at";

    private final Pool pool;

    public SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    /** Reserves an id, so the secret can be sealed to it before the row is written. */
    public Uni<Long> nextId() {
        return pool.query("select nextval('subscription_id_seq') as id").execute()
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    public Uni<Subscription> insert(Subscription s) {
        return pool.preparedQuery("insert into subscription (" + COLUMNS + ") values "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(s.id(), s.tenantId(), s.workspaceId(), s.name(), s.busName(),
                        s.filter().types().toArray(new String[0]), s.filter().eventCodes().toArray(new String[0]),
                        s.filter().projectIds().toArray(new Long[0]), s.target().kind().name(), s.target().topic(),
                        s.target().url(), format(s.target()), keyId(s), sealed(s), time(s.replayFrom()),
                        s.replayGeneration(), time(s.createdAt()), time(s.updatedAt()))))
                .map(SubscriptionRepository::single);
    }

    /** Replaces the mutable parts: name, workspace, filter, target, secret. */
    public Uni<Subscription> update(Subscription s) {
        return pool.preparedQuery("update subscription set workspace_id = $2, name = $3, event_types = $4, event_codes = $5, "
                        + "project_ids = $6, target_kind = $7, target_topic = $8, target_url = $9, target_format = $10, "
                        + "secret_key_id = $11, sealed_secret = $12, updated_at = $13 where id = $1 returning " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(s.id(), s.workspaceId(), s.name(),
                        s.filter().types().toArray(new String[0]), s.filter().eventCodes().toArray(new String[0]),
                        s.filter().projectIds().toArray(new Long[0]), s.target().kind().name(), s.target().topic(),
                        s.target().url(), format(s.target()), keyId(s), sealed(s), time(s.updatedAt()))))
                .map(SubscriptionRepository::single);
    }

    /** The subscription, or null. */
    public Uni<Subscription> find(long id) {
        return pool.preparedQuery("select " + COLUMNS + " from subscription where id = $1").execute(Tuple.of(id))
                .map(SubscriptionRepository::single);
    }

    /** All subscriptions, or those of one tenant, by id. */
    public Uni<List<Subscription>> list(Long tenantId) {
        Uni<RowSet<Row>> rows = tenantId == null
                ? pool.query("select " + COLUMNS + " from subscription order by id").execute()
                : pool.preparedQuery("select " + COLUMNS + " from subscription where tenant_id = $1 order by id").execute(Tuple.of(tenantId));
        return rows.map(set -> {
            List<Subscription> out = new ArrayList<>();
            set.forEach(row -> out.add(of(row)));
            return out;
        });
    }

    /** True if it existed. Its dead letters go with it. */
    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery("delete from subscription where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Records a replay request (a new generation); null if the subscription does not exist. */
    public Uni<Subscription> requestReplay(long id, Instant from, Instant now) {
        return pool.preparedQuery("update subscription set replay_from = $2, replay_generation = replay_generation + 1, "
                        + "updated_at = $3 where id = $1 returning " + COLUMNS)
                .execute(Tuple.of(id, time(from), time(now)))
                .map(SubscriptionRepository::single);
    }

    private static Subscription single(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? of(it.next()) : null;
    }

    private static Subscription of(Row row) {
        String format = row.getString("target_format");
        String keyId = row.getString("secret_key_id");
        return new Subscription(
                row.getLong("id"),
                row.getLong("tenant_id"),
                row.getLong("workspace_id"),
                row.getString("name"),
                row.getString("bus_name"),
                new EventFilter(List.of(row.getArrayOfStrings("event_types")), List.of(row.getArrayOfStrings("event_codes")),
                        List.of(row.getArrayOfLongs("project_ids"))),
                new Target(TargetKind.valueOf(row.getString("target_kind")), row.getString("target_topic"),
                        row.getString("target_url"), format == null ? null : DeliveryFormat.valueOf(format)),
                keyId == null ? null : SealedSecrets.Sealed.ofBase64(keyId, row.getString("sealed_secret")),
                instant(row.getOffsetDateTime("replay_from")),
                row.getInteger("replay_generation"),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("updated_at")));
    }

    private static String format(Target t) {
        return t.format() == null ? null : t.format().name();
    }

    private static String keyId(Subscription s) {
        return s.sealedSecret() == null ? null : s.sealedSecret().keyId();
    }

    private static String sealed(Subscription s) {
        return s.sealedSecret() == null ? null : s.sealedSecret().base64();
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
