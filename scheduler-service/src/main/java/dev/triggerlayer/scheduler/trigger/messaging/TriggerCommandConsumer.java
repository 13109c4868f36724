package dev.triggerlayer.scheduler.trigger.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.service.TriggerService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes trigger commands in batches: the commands of one poll are applied in order in one
 * transaction together with their outcome records (one commit instead of one per command; the
 * instances are locked in one statement and the records written in a few at the end, see
 * {@link TriggerService#applyAll}), and
 * acknowledged only after that commit, so a crash redelivers them and the command ids make the
 * redelivery a no-op. Transient database failures (deadlock, serialization, a concurrent replica
 * deciding the same command) are retried with backoff; the partition waits rather than losing a
 * command.
 */
@ApplicationScoped
public class TriggerCommandConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerCommandConsumer.class);

    private final Pool pool;
    private final TriggerService triggers;
    private final ObjectMapper json;
    private final Clock clock;

    public TriggerCommandConsumer(Pool pool, TriggerService triggers, ObjectMapper json, Clock clock) {
        this.pool = pool;
        this.triggers = triggers;
        this.json = json;
        this.clock = clock;
    }

    @Incoming("trigger-commands")
    public Uni<Void> consume(List<String> values) {
        List<TriggerCommand> commands = new ArrayList<>();
        for (String value : values) {
            try {
                TriggerCommand command = json.readValue(value, TriggerCommand.class);
                if (command.commandId() == null || command.env() == null) {
                    throw new IllegalArgumentException("commandId and env are required");
                }
                commands.add(command);
            } catch (Exception e) {
                // Without a readable command id there is nobody to answer; the gateway never sends these.
                LOG.errorf("dropping an unreadable trigger command: %s", e.getMessage());
            }
        }
        if (commands.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> pool.withTransaction(c -> triggers.applyAll(c, commands, clock.instant())))
                .onFailure(TriggerCommandConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofSeconds(2)).atMost(20)
                .replaceWithVoid();
    }

    /**
     * Command ids are remembered for a week: far longer than any redelivery (retention of the
     * commands topic, gateway retries), so the table does not grow without bound.
     */
    @io.quarkus.scheduler.Scheduled(every = "1h", delayed = "1m", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldCommands() {
        return pool.query("delete from trigger_command where decided_at < now() - interval '7 days'").execute().replaceWithVoid();
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof PgException pg) {
            String state = pg.getSqlState();
            // 40001 serialization, 40P01 deadlock, 23505 a replica recorded the same command first.
            return state != null && (state.startsWith("40") || state.equals("23505"));
        }
        return true; // connection trouble and the like
    }
}
