package dev.triggerlayer.scheduler.run.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What operators alert on for runs: {@code scheduler.runs} by outcome (SUCCEEDED, FAILED,
 * TIMED_OUT, KILLED, LOST), and per resource group its slots, the slots in use and the instances
 * waiting for one ({@code scheduler.resource_group.*}), read from the database every 5 s. Group
 * names are the operators' own, a small fixed set.
 */
@ApplicationScoped
public class RunMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final MultiGauge slots;
    private final MultiGauge used;
    private final MultiGauge waiting;

    public RunMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
        for (String outcome : List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "KILLED", "LOST")) {
            runs(outcome);
        }
        this.slots = MultiGauge.builder("scheduler.resource_group.slots").description("slots of the resource group").register(registry);
        this.used = MultiGauge.builder("scheduler.resource_group.slots.used").description("running instances of the group").register(registry);
        this.waiting = MultiGauge.builder("scheduler.instances.waiting").description("instances waiting for a slot (status 3)").register(registry);
    }

    /** One run (attempt) ended with {@code outcome}. */
    public void ran(String outcome) {
        runs(outcome).increment();
    }

    private Counter runs(String outcome) {
        return Counter.builder("scheduler.runs").description("runs (attempts) by outcome").tag("outcome", outcome).register(registry);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGroups() {
        return pool.query("select rg.name, rg.slots, count(t.id) filter (where t.status = 4) as running, "
                        + "count(t.id) filter (where t.status = 3) as waiting from resource_group rg "
                        + "left join task_instance t on t.resource_group = rg.name and t.status in (3, 4) group by rg.name, rg.slots").execute()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> s = new ArrayList<>();
                    List<MultiGauge.Row<?>> u = new ArrayList<>();
                    List<MultiGauge.Row<?>> w = new ArrayList<>();
                    rows.forEach(r -> {
                        Tags group = Tags.of("group", r.getString("name"));
                        s.add(MultiGauge.Row.of(group, r.getInteger("slots")));
                        u.add(MultiGauge.Row.of(group, r.getLong("running")));
                        w.add(MultiGauge.Row.of(group, r.getLong("waiting")));
                    });
                    slots.register(s, true);
                    used.register(u, true);
                    waiting.register(w, true);
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
