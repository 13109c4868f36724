package dev.triggerlayer.publisher;

import dev.triggerlayer.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

/** The service boots against the real servers and its probes, metrics and API docs answer. */
@QuarkusTest
class ServiceBootTest extends ServiceBootContract {

    @Override
    protected String schema() {
        return "publisher";
    }
}
