package dev.triggerlayer.scheduler;

import dev.triggerlayer.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

/** The service boots against the real servers and its probes, metrics and API docs answer. */
@QuarkusTest
class ServiceBootTest extends ServiceBootContract {

    @Override
    protected String schema() {
        return "scheduler";
    }

    @Override
    protected List<String> protectedPaths() {
        return List.of("/api/v1/workflows", "/q/metrics", "/q/health/ready", "/q/openapi");
    }
}
