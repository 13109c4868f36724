package dev.triggerlayer.publisher.directory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.publisher.directory.model.BusEntry;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.directory.model.WorkspaceEntry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local copy of the registry entities the publisher needs (tenants, workspaces, event
 * buses), rebuilt from the registry's compacted change feed (contract:
 * {@code contracts/registry-feed.md}). The last record of a key is the entity's state; a
 * tombstone deletes it. Other kinds on the feed are ignored, and so are AccessKey secrets: the
 * publisher holds no feed key and never keeps them.
 *
 * <p>The feed is eventually consistent with the scheduler's topics: a status change can name a
 * workspace that the feed has not delivered yet. {@link #caughtUp()} lets such a change wait
 * until everything the registry had published when it asked has been applied.
 */
@ApplicationScoped
public class Directory {

    private static final Logger LOG = Logger.getLogger(Directory.class);

    private final ObjectMapper json;
    private final Map<Long, TenantEntry> tenants = new ConcurrentHashMap<>();
    private final Map<Long, WorkspaceEntry> workspaces = new ConcurrentHashMap<>();
    private final Map<String, BusEntry> buses = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> initialLoad = new CompletableFuture<>();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    /** Every record the feed held at this wall-clock time (epoch ms) has been applied. */
    private volatile long caughtUpAsOf = Long.MIN_VALUE;

    public Directory(ObjectMapper json) {
        this.json = json;
    }

    public Optional<TenantEntry> tenant(long id) {
        return Optional.ofNullable(tenants.get(id));
    }

    public Optional<WorkspaceEntry> workspace(long id) {
        return Optional.ofNullable(workspaces.get(id));
    }

    /** The tenant's buses, by name. */
    public List<BusEntry> buses(long tenantId) {
        return buses.values().stream()
                .filter(b -> b.tenantId() == tenantId)
                .sorted(Comparator.comparing(BusEntry::name))
                .toList();
    }

    /** Whether the feed was read to its end at least once since start. */
    public boolean loaded() {
        return initialLoad.isDone();
    }

    /** Completes when the feed was read to its end for the first time. */
    public CompletionStage<Void> initialLoad() {
        return initialLoad;
    }

    public int size() {
        return tenants.size() + workspaces.size() + buses.size();
    }

    /**
     * Epoch milliseconds up to which the directory is known to be complete: everything the
     * registry had published by then has been applied. A change written before this moment that
     * names an unknown workspace needs no further wait: the registry did not know it either.
     */
    public long caughtUpAsOf() {
        return caughtUpAsOf;
    }

    /**
     * Completes once the reader has applied every record the feed held when this was called
     * (the reader measures the feed's end after taking the request).
     */
    public CompletionStage<Void> caughtUp() {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        synchronized (waiters) {
            waiters.add(waiter);
        }
        return waiter;
    }

    // ---- called by the feed reader's thread ----

    /** Requests taken so far; the reader completes them if its next end-of-feed check succeeds. */
    List<CompletableFuture<Void>> pendingWaiters() {
        synchronized (waiters) {
            return List.copyOf(waiters);
        }
    }

    boolean hasWaiters() {
        synchronized (waiters) {
            return !waiters.isEmpty();
        }
    }

    /**
     * The reader was at the end of the feed as measured at {@code measuredAt} (epoch ms), after
     * these requests were taken.
     */
    void reachedEnd(List<CompletableFuture<Void>> served, long measuredAt) {
        caughtUpAsOf = Math.max(caughtUpAsOf, measuredAt);
        synchronized (waiters) {
            waiters.removeAll(served);
        }
        served.forEach(w -> w.complete(null));
        if (initialLoad.complete(null)) {
            LOG.infof("registry directory loaded: %d tenants, %d workspaces, %d event buses",
                    tenants.size(), workspaces.size(), buses.size());
        }
    }

    /** Applies one feed record; {@code value} is null for a tombstone. */
    public void apply(String key, String value) {
        if (key == null) {
            return;
        }
        int slash = key.indexOf('/');
        if (slash <= 0) {
            return;
        }
        String kind = key.substring(0, slash);
        String id = key.substring(slash + 1);
        try {
            JsonNode data = value == null ? null : json.readTree(value).path("data");
            boolean deleted = data == null || data.isNull() || data.isMissingNode();
            switch (kind) {
                case "tenant" -> applyTenant(Long.parseLong(id), deleted ? null : data);
                case "workspace" -> applyWorkspace(Long.parseLong(id), deleted ? null : data);
                case "event-bus" -> applyBus(id, deleted ? null : data);
                default -> {
                    // Users, keys, grants and regions are not needed to publish events.
                }
            }
        } catch (IOException | RuntimeException e) {
            // A malformed record must not stop the feed; the next record of the key replaces it.
            LOG.warnf("skipping unreadable registry feed record %s: %s", key, e.getMessage());
        }
    }

    private void applyTenant(long id, JsonNode data) {
        if (data == null) {
            tenants.remove(id);
            return;
        }
        tenants.put(id, new TenantEntry(id, text(data, "accountId"), text(data, "homeRegion"), text(data, "timeZone")));
    }

    private void applyWorkspace(long id, JsonNode data) {
        if (data == null) {
            workspaces.remove(id);
            return;
        }
        JsonNode tenantId = data.path("tenantId");
        if (!tenantId.canConvertToLong()) {
            throw new IllegalArgumentException("workspace without tenantId");
        }
        // The registry defaults publishEvents to true, so an older record without it means true.
        boolean publish = !data.has("publishEvents") || data.path("publishEvents").asBoolean(true);
        workspaces.put(id, new WorkspaceEntry(id, tenantId.asLong(), publish));
    }

    private void applyBus(String id, JsonNode data) {
        if (data == null) {
            buses.remove(id);
            return;
        }
        JsonNode tenantId = data.path("tenantId");
        String name = text(data, "name");
        if (!tenantId.canConvertToLong() || name == null) {
            throw new IllegalArgumentException("event bus without tenantId or name");
        }
        buses.put(id, new BusEntry(tenantId.asLong(), name, text(data, "regionId")));
    }

    private static String text(JsonNode data, String field) {
        JsonNode node = data.path(field);
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
