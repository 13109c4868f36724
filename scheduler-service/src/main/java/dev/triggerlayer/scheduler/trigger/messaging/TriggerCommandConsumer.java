package dev.triggerlayer.scheduler.trigger.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.kit.tracing.Tracing;
import dev.triggerlayer.scheduler.instance.engine.Transactions;
import dev.triggerlayer.scheduler.trigger.model.Received;
import dev.triggerlayer.scheduler.trigger.model.TriggerCommand;
import dev.triggerlayer.scheduler.trigger.service.TriggerService;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * redelivery a no-op. Transient failures (deadlock, serialization, a concurrent replica deciding
 * the same command, the database unreachable) are retried with backoff for as long as they last;
 * the partition waits rather than losing a command.
 */
@ApplicationScoped
public class TriggerCommandConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerCommandConsumer.class);

    private final Transactions transactions;
    private final TriggerService triggers;
    private final ObjectMapper json;
    private final Tracing tracing;
    private final java.util.Optional<String> region;

    public TriggerCommandConsumer(Transactions transactions, TriggerService triggers, ObjectMapper json, Tracing tracing,
                                  dev.triggerlayer.scheduler.config.SchedulerConfig config) {
        this.region = config.federation().region();
        this.transactions = transactions;
        this.triggers = triggers;
        this.json = json;
        this.tracing = tracing;
    }

    @Incoming("trigger-commands")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<Received> commands = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                TriggerCommand command = json.readValue(record.value(), TriggerCommand.class);
                if (command.commandId() == null || command.env() == null) {
                    throw new IllegalArgumentException("commandId and env are required");
                }
                if (command.homeRegion() != null && region.isPresent() && !region.get().equals(command.homeRegion())) {
                    // Another region's federated command copied here too: its home region answers it.
                    LOG.debugf("command %s is for region %s, not %s", command.commandId(), command.homeRegion(), region.get());
                    continue;
                }
                commands.add(received(record, command));
            } catch (Exception e) {
                // Without a readable command id there is nobody to answer; the gateway never sends these.
                LOG.errorf("dropping an unreadable trigger command: %s", e.getMessage());
            }
        }
        if (commands.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transactions.run(u -> triggers.applyAll(u, commands))
                // Never given up: the partition waits out a database outage instead of failing the channel.
                .onFailure(TriggerCommandConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofSeconds(5)).indefinitely()
                .invoke(outcomes -> {
                    for (int k = 0; k < outcomes.size(); k++) {
                        Span span = Span.fromContext(commands.get(k).trace());
                        span.setAttribute("triggerlayer.outcome", outcomes.get(k).outcome())
                                .setAttribute("triggerlayer.code", outcomes.get(k).code());
                        if (outcomes.get(k).taskInstanceId() != null) {
                            span.setAttribute("triggerlayer.task_instance_id", outcomes.get(k).taskInstanceId());
                        }
                    }
                })
                .onFailure().invoke(e -> commands.forEach(c -> Span.fromContext(c.trace()).recordException(e)))
                .onTermination().invoke(() -> commands.forEach(c -> Span.fromContext(c.trace()).end()))
                .replaceWithVoid();
    }

    /** The command with the span of its application: child of the gateway's send, open until the transaction ends. */
    private Received received(ConsumerRecord<String, String> record, TriggerCommand command) {
        Context parent = tracing.extract(record.headers());
        Span span = tracing.span(record.topic() + " process", SpanKind.CONSUMER, parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", record.topic())
                .setAttribute("triggerlayer.command_id", command.commandId().toString())
                .setAttribute("triggerlayer.task_id", command.taskId())
                .setAttribute("triggerlayer.env", command.env())
                .setAttribute("triggerlayer.action", command.action())
                .startSpan();
        return new Received(command, parent.with(span));
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
