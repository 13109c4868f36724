package dev.triggerlayer.scheduler.instance.engine;

import java.time.Instant;
import io.vertx.mutiny.sqlclient.Row;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The writes a batch transaction (many trigger commands in one commit) leaves to its end, where
 * each kind goes to PostgreSQL in one statement: the DAG instances it touched, whose aggregate
 * status is worked out once from the final state, and the trigger command records it decided.
 * Nothing here is visible to another transaction before the commit, so deferring changes no
 * outcome; it only saves round trips.
 */
public final class Batch {

    /** A decided trigger command, inserted into {@code trigger_command} when the batch ends. */
    public record CommandRecord(UUID commandId, Long instanceId, String outcome, String code, String message,
                                Instant receivedAt, Instant decidedAt) {
    }

    /** A DAG instance one of whose task instances changed; {@code started}: one of them started. */
    record DagTouch(boolean started, String operator) {
    }

    final TreeMap<Long, DagTouch> dags = new TreeMap<>();
    private final Map<UUID, CommandRecord> commands = new LinkedHashMap<>();
    private final Set<Long> changed = new HashSet<>();
    /** Upstream instance id → its downstream instances, locked when the batch started. */
    private final Map<Long, List<Row>> downstream = new HashMap<>();

    /**
     * Records the downstream instances of {@code upstreamIds}, locked by the caller in this
     * transaction (rows carry {@code released_by}, the upstream id, and {@code upstream_count}).
     */
    public void downstreamLocked(Collection<Long> upstreamIds, Iterable<Row> rows) {
        upstreamIds.forEach(id -> downstream.putIfAbsent(id, new ArrayList<>()));
        for (Row r : rows) {
            List<Row> of = downstream.get(r.getLong("released_by"));
            if (of != null) {
                of.add(r);
            }
        }
    }

    /** The locked downstream rows of {@code upstreamId} as read at the start, unless the batch changed one since. */
    Optional<List<Row>> downstreamOf(long upstreamId) {
        List<Row> rows = downstream.get(upstreamId);
        if (rows == null || rows.stream().anyMatch(r -> changed.contains(r.getLong("id")))) {
            return Optional.empty();
        }
        return Optional.of(rows);
    }

    /** Notes that this batch changed the task instance, so a row read before is stale. */
    public void changed(long instanceId) {
        changed.add(instanceId);
    }

    /** Whether this batch changed the task instance. */
    public boolean wasChanged(long instanceId) {
        return changed.contains(instanceId);
    }

    /** Records a command's decision; inserted at the end of the batch. */
    public void record(CommandRecord record) {
        commands.put(record.commandId(), record);
    }

    /** A command decided earlier in this batch (a redelivery inside one poll), if any. */
    public Optional<CommandRecord> command(UUID commandId) {
        return Optional.ofNullable(commands.get(commandId));
    }

    /** Changes the decision of a command recorded in this batch; false when it is not one of them. */
    boolean redecide(UUID commandId, String outcome, String code, String message, Instant at) {
        CommandRecord r = commands.get(commandId);
        if (r == null) {
            return false;
        }
        commands.put(commandId, new CommandRecord(commandId, r.instanceId(), outcome, code, message, r.receivedAt(), at));
        return true;
    }

    void touch(long dagInstanceId, boolean started, String operator) {
        dags.merge(dagInstanceId, new DagTouch(started, operator),
                (a, b) -> new DagTouch(a.started() || b.started(), b.operator()));
    }

    List<CommandRecord> commands() {
        return new ArrayList<>(commands.values());
    }
}
