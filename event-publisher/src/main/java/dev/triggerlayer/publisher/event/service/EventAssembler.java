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
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Decides where a scheduler change is published and builds its events: the workspace must be
 * known to the registry, publish events, and belong to the tenant the record names; then the
 * tenant's every bus gets one event (the tenant's own topics only, whatever else is known).
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

    /** Where a change goes: the confirmed tenant and its buses. */
    public record Route(TenantEntry tenant, List<BusEntry> buses) {
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
        Optional<Route> route = route(record.workspaceId(), record.tenantId(), writtenAt);
        if (route.isEmpty()) {
            return List.of();
        }
        String id = record.changeId() == null || record.changeId().isBlank() ? fallbackId.get() : record.changeId();
        EventDraft draft = mapper.draft(record, id, route.get().tenant());
        Instant publishedAt = clock.instant();
        List<BusRecord> out = new ArrayList<>();
        for (BusEntry bus : route.get().buses()) {
            String event = factory.write(draft, route.get().tenant(), bus.name(), publishedAt, config.bus().publishAddr());
            out.add(new BusRecord(TopicNames.bus(draft.tenantId(), bus.name()), draft.key(), id, draft.type().type(), event));
        }
        return out;
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
        Optional<TenantEntry> tenant = lookUp(() -> directory.tenant(tenantId), writtenAt);
        if (tenant.isEmpty()) {
            return dropped("unknown-tenant", "tenant %d is not in the registry", tenantId);
        }
        List<BusEntry> buses = directory.buses(tenantId).stream()
                .filter(b -> TopicNames.isValidBusName(b.name()))
                .toList();
        if (buses.isEmpty() && config.bus().implicitDefault()) {
            buses = List.of(new BusEntry(tenantId, config.bus().defaultName(), tenant.get().homeRegion()));
        }
        if (buses.isEmpty()) {
            return dropped("no-bus", "tenant %d has no event bus", tenantId);
        }
        return Optional.of(new Route(tenant.get(), buses));
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
