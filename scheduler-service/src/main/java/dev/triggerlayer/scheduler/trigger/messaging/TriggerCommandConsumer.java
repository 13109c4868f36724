package dev.triggerlayer.scheduler.trigger.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.service.TriggerService;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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

    private final Transactions transactions;
    private final TriggerService triggers;
    private final ObjectMapper json;

    public TriggerCommandConsumer(Transactions transactions, TriggerService triggers, ObjectMapper json) {
        this.transactions = transactions;
        this.triggers = triggers;
        this.json = json;
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
        return transactions.run(u -> triggers.applyAll(u, commands))
                .onFailure(TriggerCommandConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofSeconds(2)).atMost(20)
                .replaceWithVoid();
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
