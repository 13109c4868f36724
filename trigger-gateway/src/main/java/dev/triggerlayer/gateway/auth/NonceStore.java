package dev.triggerlayer.gateway.auth;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Replay protection shared by every gateway replica: a nonce is claimed with an insert into one
 * PostgreSQL table whose primary key is (AccessKey, nonce), so a second use on any replica fails.
 * A nonce only needs remembering while its timestamp is inside the accepted window; after that the
 * timestamp check refuses the request anyway, and the row is deleted.
 */
@ApplicationScoped
public class NonceStore {

    private final Pool pool;
    private final Clock clock;

    public NonceStore(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /** True when the nonce was unused (and is now taken). */
    public Uni<Boolean> claim(String accessKeyId, String nonce, Instant expiresAt) {
        return pool.preparedQuery("insert into signature_nonce (access_key_id, nonce, expires_at) values ($1, $2, $3) on conflict do nothing")
                .execute(Tuple.of(accessKeyId, nonce, expiresAt.atOffset(ZoneOffset.UTC)))
                .map(r -> r.rowCount() == 1);
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        return pool.preparedQuery("delete from signature_nonce where expires_at < $1").execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
