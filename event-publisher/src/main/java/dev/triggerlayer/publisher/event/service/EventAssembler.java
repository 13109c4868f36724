package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.publisher.bus.service.TopicNames;
import dev.triggerlayer.publisher.config.PublisherConfig;
import dev.triggerlayer.publisher.directory.model.BusEntry;
import dev.triggerlayer.publisher.directory.model.TenantEntry;
import dev.triggerlayer.publisher.directory.model.WorkspaceEntry;
import dev.triggerlayer.publisher.directory.service.Directory;
import dev.triggerlayer.publisher.directory.service.RegistryFeedReader;
import dev.triggerlayer.publisher.event.model.BusRecord;
import dev.triggerlayer.publisher.event.model.EventDraft;
import dev.triggerlayer.publisher.event.model.SchedulerRecord;
import dev.triggerlayer.publisher.event.model.TenantLevelRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Decides where a change is published and builds its event: the workspace must be known to the
 * registry, publish events, and belong to the tenant the record names; the tenant must be of the
 * Enterprise Edition (OpenEvent is an Enterprise feature, references 003 and 004); then the one
 * bus the workspace maps to gets the event (the tenant's own topics only, whatever else is known).
 * A record about a deleted workspace ({@link TenantLevelRecord}) is routed by its tenant and the
 * bus it names.
 */
@ApplicationScoped
public class EventAssembler {

    private static final Logger LOG = Logger.getLogger(EventAssembler.class);

    private final Directory directory;
    private final RegistryFeedReader feed;
    private final PublisherConfig config;
    private final Clock clock;
    private final CloudEventFactory factory;
    private final MeterRegistry metrics;

    public EventAssembler(Directory directory, RegistryFeedReader feed, PublisherConfig config, Clock clock, ObjectMapper json, MeterRegistry metrics) {
        this.directory = directory;
        this.feed = feed;
        this.config = config;
        this.clock = clock;
        this.factory = new CloudEventFactory(json);
        this.metrics = metrics;
    }

    /** Where a change goes: the confirmed tenant and the one bus of it that receives the event. */
    public record Route(TenantEntry tenant, BusEntry bus) {
    }

    /**
     * The bus records of one change; empty if it publishes nothing. Blocking: a change for a
     * workspace or tenant the directory does not know yet waits for the directory to catch up.
     *
     * @throws IllegalArgumentException if the record cannot become a valid event
     */
    public <R extends SchedulerRecord> List<BusRecord> assemble(ChangeMapper<R> mapper, R record, Supplier<String> fallbackId,
                                                               long writtenAt) {
        mapper.validate(record);
        Optional<Route> route = record instanceof TenantLevelRecord t
                ? routeDeleted(t, writtenAt)
                : route(record.workspaceId(), record.tenantId(), writtenAt);
        if (route.isEmpty()) {
            return List.of();
        }
        String id = record.changeId() == null || record.changeId().isBlank() ? fallbackId.get() : record.changeId();
        EventDraft draft = mapper.draft(record, id, route.get().tenant());
        BusEntry bus = route.get().bus();
        String event = factory.write(draft, route.get().tenant(), bus, clock.instant(), config.bus().publishAddr());
        return List.of(new BusRecord(TopicNames.bus(draft.tenantId(), bus.name()), draft.key(), id, draft.type().type(), event));
    }

    /**
     * Empty when the change must not be published; says why in the log and the metrics.
     *
     * @param writtenAt when the change was written (record timestamp, epoch ms)
     */
    public Optional<Route> route(long workspaceId, long tenantId, long writtenAt) {
        Optional<WorkspaceEntry> workspace = lookUp(() -> directory.workspace(workspaceId), writtenAt);
        if (workspace.isEmpty()) {
            return dropped("unknown-workspace", "workspace %d is not in the registry", workspaceId);
        }
        if (!workspace.get().publishEvents()) {
            return dropped("publishing-disabled", "workspace %d does not publish events", workspaceId);
        }
        if (workspace.get().tenantId() != tenantId) {
            // The registry owns tenancy: a record naming another tenant is never published to either.
            LOG.errorf("change names tenant %d but the registry says workspace %d belongs to tenant %d; dropped",
                    tenantId, workspaceId, workspace.get().tenantId());
            return dropped("tenant-mismatch", "tenant mismatch for workspace %d", workspaceId);
        }
        return routeTenant(tenantId, workspace.get().eventBusName(), writtenAt);
    }

    /** A deleted workspace's record: its tenant and the settings the record carries stand in for the registry entry. */
    private Optional<Route> routeDeleted(TenantLevelRecord record, long writtenAt) {
        if (Boolean.FALSE.equals(record.publishEvents())) {
            return dropped("publishing-disabled", "workspace %d did not publish events", record.workspaceId());
        }
        return routeTenant(record.tenantId(), record.eventBusName(), writtenAt);
    }

    /**
     * The tenant (known, Enterprise) and its bus: {@code busName} when the workspace maps to one,
     * else the bus named {@code publisher.bus.default-name}, else (a tenant without any bus record)
     * the implicit default bus in the tenant's home region.
     */
    private Optional<Route> routeTenant(long tenantId, String busName, long writtenAt) {
        Optional<TenantEntry> tenant = lookUp(() -> directory.tenant(tenantId), writtenAt);
        if (tenant.isEmpty()) {
            return dropped("unknown-tenant", "tenant %d is not in the registry", tenantId);
        }
        if (!tenant.get().receivesEvents()) {
            return dropped("edition", "tenant %d is not of the Enterprise Edition", tenantId);
        }
        if (busName != null) {
            // The registry writes a bus before any workspace that names it: missing means the copy lags (or it was deleted since).
            Optional<BusEntry> mapped = lookUp(() -> directory.bus(tenantId, busName), writtenAt)
                    .filter(b -> TopicNames.isValidBusName(b.name()));
            return mapped.isPresent() ? Optional.of(new Route(tenant.get(), mapped.get()))
                    : dropped("unknown-bus", "the bus of tenant %d that the workspace maps to is not in the registry", tenantId);
        }
        String defaultName = config.bus().defaultName();
        Optional<BusEntry> named = directory.bus(tenantId, defaultName);
        if (named.isPresent()) {
            return Optional.of(new Route(tenant.get(), named.get()));
        }
        if (directory.buses(tenantId).isEmpty() && config.bus().implicitDefault()) {
            return Optional.of(new Route(tenant.get(), new BusEntry(tenantId, defaultName, tenant.get().homeRegion())));
        }
        return dropped("no-bus", "tenant %d has no default event bus", tenantId);
    }

    /**
     * Looks up; if unknown, waits for the directory to catch up with the feed, unless it already
     * had when the change was written (then the registry did not know the entity either, and a
     * burst of changes for, say, a deleted workspace costs one wait, not one each).
     */
    private <T> Optional<T> lookUp(Supplier<Optional<T>> lookup, long writtenAt) {
        Optional<T> found = lookup.get();
        if (found.isPresent() || feed.caughtUpAsOf() >= writtenAt) {
            return found;
        }
        try {
            feed.caughtUp().toCompletableFuture().get(config.directory().catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("registry directory did not catch up in time; deciding on what it knows");
        } catch (ExecutionException e) {
            LOG.warnf("waiting for the registry directory failed: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lookup.get();
    }

    private <T> Optional<T> dropped(String reason, String message, Object id) {
        metrics.counter("publisher.changes.dropped", "reason", reason).increment();
        LOG.debugf("change not published: " + message, id);
        return Optional.empty();
    }
}
