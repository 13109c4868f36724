package dev.triggerlayer.gateway.trigger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * ClientToken idempotency, shared by all replicas: a token binds a request hash to one command id.
 * A repeat with the same parameters reuses that command id (the scheduler treats it as a
 * redelivery, so nothing happens twice) or the stored outcome.
 */
@ApplicationScoped
public class ClientTokens {

    /**
     * What a token stands for: the command id, whether this call created it, the stored outcome,
     * and the trace of the call that created it (a retry continues that trace).
     */
    public record Claim(UUID commandId, boolean created, String requestHash, String outcome, String traceParent) {
    }

    private final Pool pool;
    private final Clock clock;

    public ClientTokens(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Claim> claim(String accessKeyId, String token, String requestHash, UUID commandId, Instant now, String traceParent) {
        return pool.preparedQuery("insert into client_token (access_key_id, token, request_hash, command_id, created_at, trace_parent) "
                        + "values ($1, $2, $3, $4, $5, $6) on conflict do nothing")
                .execute(Tuple.of(accessKeyId, token, requestHash, commandId, now.atOffset(ZoneOffset.UTC), traceParent))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(new Claim(commandId, true, requestHash, null, traceParent))
                        : pool.preparedQuery("select * from client_token where access_key_id = $1 and token = $2")
                                .execute(Tuple.of(accessKeyId, token))
                                .map(rows -> {
                                    Row r = rows.iterator().next();
                                    return new Claim(r.getUUID("command_id"), false, r.getString("request_hash"), r.getString("outcome"),
                                            r.getString("trace_parent"));
                                }));
    }

    /** A ClientToken protects retries for a day; older ones are forgotten. */
    @io.quarkus.scheduler.Scheduled(every = "1h", delayed = "1m", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOld() {
        return pool.preparedQuery("delete from client_token where created_at < $1")
                .execute(Tuple.of(clock.instant().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Void> remember(String accessKeyId, String token, String outcome) {
        return pool.preparedQuery("update client_token set outcome = $3 where access_key_id = $1 and token = $2")
                .execute(Tuple.of(accessKeyId, token, outcome)).replaceWithVoid();
    }
}
