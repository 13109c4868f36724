package dev.triggerlayer.scheduler.trigger.repository;

import dev.triggerlayer.scheduler.instance.engine.RetainedTriggers;
import dev.triggerlayer.scheduler.instance.engine.UnitOfWork;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.triggerlayer.scheduler.instance.engine.InstanceEngine.utc;

/**
 * The decision recorded for every trigger command id ({@code trigger_command}), so a redelivered
 * or retried command is answered again without a second effect. Decisions of one unit of work
 * are kept in it and inserted in one statement before its commit; a retained trigger decided
 * later (fired, dropped) has its record changed in the unit of work that decides it.
 */
@ApplicationScoped
public class TriggerCommandRecords implements RetainedTriggers {

    /** Command ids are remembered far longer than any redelivery (topic retention, gateway retries). */
    static final Duration KEEP = Duration.ofDays(7);

    /** A command's decision ({@code outcome} TRIGGERED, RETAINED, REFUSED or EXPIRED). */
    public record Decision(UUID commandId, Long instanceId, String outcome, String code, String message, Instant receivedAt,
                           Instant decidedAt) {

        Decision redecided(String outcome, String code, String message, Instant at) {
            return new Decision(commandId, instanceId, outcome, code, message, receivedAt, at);
        }
    }

    /** The decisions of one unit of work, in decision order. */
    private static final class Decided {
        final Map<UUID, Decision> byId = new LinkedHashMap<>();
    }

    private final Pool pool;
    private final Clock clock;

    public TriggerCommandRecords(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** The recorded decisions of those of {@code ids} seen before. */
    public Uni<Map<UUID, Decision>> find(UnitOfWork u, List<UUID> ids) {
        return u.connection().preparedQuery("select * from trigger_command where command_id = any($1)")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, Decision> seen = new HashMap<>();
                    for (Row r : rows) {
                        seen.put(r.getUUID("command_id"), new Decision(r.getUUID("command_id"), r.getLong("instance_id"), r.getString("outcome"),
                                r.getString("code"), r.getString("message"), r.getOffsetDateTime("received_at").toInstant(),
                                r.getOffsetDateTime("decided_at").toInstant()));
                    }
                    return seen;
                });
    }

    /** A decision taken earlier in this unit of work (a copy of a command in the same poll). */
    public Optional<Decision> decidedHere(UnitOfWork u, UUID commandId) {
        return Optional.ofNullable(decided(u).byId.get(commandId));
    }

    /** Records a new decision; inserted when the unit of work finishes. */
    public void record(UnitOfWork u, Decision decision) {
        decided(u).byId.put(decision.commandId(), decision);
    }

    @Override
    public Uni<Void> redecide(UnitOfWork u, UUID commandId, String outcome, String code, String message) {
        Decided here = decided(u);
        Decision d = here.byId.get(commandId);
        if (d != null) {
            here.byId.put(commandId, d.redecided(outcome, code, message, u.now()));
            return Uni.createFrom().voidItem();
        }
        return u.connection().preparedQuery("update trigger_command set outcome = $2, code = $3, message = $4, decided_at = $5 where command_id = $1")
                .execute(Tuple.of(commandId, outcome, code, message).addOffsetDateTime(utc(u.now())))
                .replaceWithVoid();
    }

    /** Forgets decisions older than {@link #KEEP} (by the injected clock), so the table does not grow without bound. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> forgetOld() {
        return pool.preparedQuery("delete from trigger_command where decided_at < $1")
                .execute(Tuple.of(utc(clock.instant().minus(KEEP)))).replaceWithVoid();
    }

    private Decided decided(UnitOfWork u) {
        return u.part(Decided.class, () -> {
            Decided d = new Decided();
            u.beforeCommit(work -> insert(work, d));
            return d;
        });
    }

    private static Uni<Void> insert(UnitOfWork u, Decided decided) {
        if (decided.byId.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = decided.byId.size();
        UUID[] ids = new UUID[n];
        Long[] instances = new Long[n];
        String[] outcomes = new String[n];
        String[] codes = new String[n];
        String[] messages = new String[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        OffsetDateTime[] decidedAt = new OffsetDateTime[n];
        int k = 0;
        for (Decision d : decided.byId.values()) {
            ids[k] = d.commandId();
            instances[k] = d.instanceId();
            outcomes[k] = d.outcome();
            codes[k] = d.code();
            messages[k] = d.message();
            received[k] = utc(d.receivedAt());
            decidedAt[k] = utc(d.decidedAt());
            k++;
        }
        return u.connection().preparedQuery("insert into trigger_command (command_id, instance_id, outcome, code, message, received_at, decided_at) "
                        + "select * from unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])")
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfLong(instances).addArrayOfString(outcomes).addArrayOfString(codes)
                        .addArrayOfString(messages).addArrayOfOffsetDateTime(received).addArrayOfOffsetDateTime(decidedAt))
                .replaceWithVoid();
    }
}
