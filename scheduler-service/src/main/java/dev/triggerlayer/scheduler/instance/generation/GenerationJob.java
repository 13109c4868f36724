package dev.triggerlayer.scheduler.instance.generation;

import dev.triggerlayer.scheduler.workflow.service.WorkflowService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * T+1 generation: creates tomorrow's instances of every deployed workflow (in its own zone). It runs
 * every half hour rather than once at a fixed time, so a scheduler that was down catches up on its
 * next run; generation is idempotent, so the repeated runs add nothing.
 */
@ApplicationScoped
public class GenerationJob {

    private static final Logger LOG = Logger.getLogger(GenerationJob.class);

    private final Pool pool;
    private final WorkflowService workflows;
    private final Clock clock;

    public GenerationJob(Pool pool, WorkflowService workflows, Clock clock) {
        this.pool = pool;
        this.workflows = workflows;
        this.clock = clock;
    }

    @Scheduled(every = "${scheduler.generation.interval:30m}", delay = 10, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return generateNextDay().onFailure().invoke(e -> LOG.warnf("T+1 generation failed, next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Generates tomorrow's instances of all deployed workflows; returns how many were created. */
    public Uni<Integer> generateNextDay() {
        return pool.query("select id, time_zone from workflow where deployed_version is not null order by id").execute()
                .chain(rows -> {
                    List<long[]> ids = new ArrayList<>();
                    List<String> zones = new ArrayList<>();
                    rows.forEach(r -> {
                        ids.add(new long[] {r.getLong("id")});
                        zones.add(r.getString("time_zone"));
                    });
                    List<Uni<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        LocalDate tomorrow = LocalDate.now(clock.withZone(ZoneId.of(zones.get(i)))).plusDays(1);
                        runs.add(workflows.generate(ids.get(i)[0], tomorrow));
                    }
                    return Multi.createFrom().iterable(runs).onItem().transformToUniAndConcatenate(u -> u)
                            .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
                });
    }
}
