package dev.triggerlayer.publisher.directory.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.publisher.directory.model.BusEntry;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.directory.model.WorkspaceEntry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local copy of the registry entities the publisher needs (tenants, workspaces, event
 * buses), rebuilt from the registry's compacted change feed (contract:
 * {@code contracts/registry-feed.md}). The last record of a key is the entity's state; a
 * tombstone deletes it. Other kinds on the feed are ignored, and so are AccessKey secrets: the
 * publisher holds no feed key and never keeps them.
 *
 * <p>{@link RegistryFeedReader} fills it and tells how far it is.
 */
@ApplicationScoped
public class Directory {

    private static final Logger LOG = Logger.getLogger(Directory.class);

    private final ObjectMapper json;
    private final Map<Long, TenantEntry> tenants = new ConcurrentHashMap<>();
    private final Map<Long, WorkspaceEntry> workspaces = new ConcurrentHashMap<>();
    private final Map<String, BusEntry> buses = new ConcurrentHashMap<>();

    public Directory(ObjectMapper json) {
        this.json = json;
    }

    public Optional<TenantEntry> tenant(long id) {
        return Optional.ofNullable(tenants.get(id));
    }

    public Optional<WorkspaceEntry> workspace(long id) {
        return Optional.ofNullable(workspaces.get(id));
    }

    /** The tenant's bus of that name. */
    public Optional<BusEntry> bus(long tenantId, String name) {
        return Optional.ofNullable(buses.get(tenantId + "/" + name)).filter(b -> b.tenantId() == tenantId);
    }

    /** The tenant's buses, by name. */
    public List<BusEntry> buses(long tenantId) {
        return buses.values().stream()
                .filter(b -> b.tenantId() == tenantId)
                .sorted(Comparator.comparing(BusEntry::name))
                .toList();
    }

    public int size() {
        return tenants.size() + workspaces.size() + buses.size();
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
        tenants.put(id, new TenantEntry(id, text(data, "accountId"), text(data, "homeRegion"), text(data, "timeZone"),
                text(data, "edition")));
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
        String bus = text(data, "eventBusName");
        workspaces.put(id, new WorkspaceEntry(id, tenantId.asLong(), publish, bus == null || bus.isBlank() ? null : bus));
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
