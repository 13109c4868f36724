package dev.triggerlayer.gateway;

import dev.triggerlayer.testsupport.KafkaResource;
import dev.triggerlayer.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/** Every test of this module runs against a real PostgreSQL and a real Kafka broker. */
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(SchedulerQueryStandIn.class)
public final class TestServers {
    private TestServers() {
    }
}
