package dev.triggerlayer.scheduler.demo;

import dev.triggerlayer.scheduler.workflow.model.Env;
import dev.triggerlayer.scheduler.workflow.model.InstanceGeneration;
import dev.triggerlayer.scheduler.workflow.model.NodeDefinition;
import dev.triggerlayer.scheduler.workflow.model.NodeType;
import dev.triggerlayer.scheduler.workflow.model.WorkflowDefinition;
import dev.triggerlayer.scheduler.workflow.service.WorkflowService;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.triggerlayer.scheduler.config.SchedulerConfig;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * The demo workflow of the one-command run, in tenant B's workspace 2002: an HTTP trigger node
 * (every 5 minutes, the shortest allowed interval, so a trigger is never far from its time) and a
 * shell node after it that echoes "DataWorks", deployed with immediate instance generation.
 */
@ApplicationScoped
public class DemoSeed {

    public static final long WORKFLOW = 3002, TRIGGER_NODE = 4001, SHELL_NODE = 4002;
    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    private final boolean enabled;
    private final Pool pool;
    private final WorkflowService workflows;

    public DemoSeed(SchedulerConfig config, Pool pool,
                    WorkflowService workflows) {
        this.enabled = config.demo().enabled();
        this.pool = pool;
        this.workflows = workflows;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        boolean present = pool.preparedQuery("select 1 from workflow where id = $1").execute(Tuple.of(WORKFLOW))
                .await().atMost(Duration.ofSeconds(30)).size() > 0;
        if (present) {
            LOG.info("demo workflow already loaded");
            return;
        }
        WorkflowDefinition demo = new WorkflowDefinition(WORKFLOW, 1002L, 2002L, Env.Prod, "demo_cross_tenant", "b-developer",
                "Asia/Shanghai", List.of(
                new NodeDefinition(TRIGGER_NODE, "demo_http_trigger", NodeType.HTTP_TRIGGER, null, "00 00/5 * * * ?",
                        null, null, null, null, null, InstanceGeneration.IMMEDIATE, List.of(), null, null, null, null, null),
                new NodeDefinition(SHELL_NODE, "demo_echo", NodeType.SHELL, "echo \"DataWorks\"", "00 00/5 * * * ?",
                        null, null, null, null, null, InstanceGeneration.IMMEDIATE, List.of(TRIGGER_NODE), 1, 10, 600, null, null)));
        workflows.create(demo).chain(() -> workflows.deploy(WORKFLOW, "demo-seed")).await().atMost(Duration.ofSeconds(60));
        LOG.infof("demo workflow %d deployed: HTTP trigger node %d -> shell node %d", WORKFLOW, TRIGGER_NODE, SHELL_NODE);
    }
}
