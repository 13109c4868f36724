package dev.triggerlayer.gateway;

import dev.triggerlayer.cli.TriggerCli;
import dev.triggerlayer.gateway.directory.Directory;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.triggerlayer.gateway.GatewayHarness.scheduler;
import static dev.triggerlayer.gateway.GatewayHarness.time;
import static dev.triggerlayer.gateway.TestClockProducer.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line trigger (trigger-cli) against the real gateway: its signatures, answers and exit codes. */
@QuarkusTest
class GatewayCliTest {

    @Inject
    Directory directory;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void world() {
        CLOCK.set(Instant.now());
        GatewayHarness.ready(directory);
    }

    int cli(World.Key key, String... args) {
        List<String> argv = new ArrayList<>(List.of("--endpoint", "http://127.0.0.1:" + GatewayHarness.port()));
        argv.addAll(List.of(args));
        Map<String, String> env = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", key.id(), "ALIBABA_CLOUD_ACCESS_KEY_SECRET", key.secret());
        return TriggerCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), argv.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3"})
    void triggersAndExitsWithZero(String version) {
        long t = time(0);
        assertEquals(0, cli(World.B_DEV_KEY, "--task-id", String.valueOf(World.NODE_B), "--env", "Prod", "--time", String.valueOf(t),
                "--signature-version", version), out + " " + err);
        assertTrue(out.toString().matches("Success=true RequestId=[0-9A-F-]{36} TriggerOutcome=Triggered TaskInstanceId=555\n"), out.toString());
        assertEquals(1, scheduler.commandsFor(World.NODE_B, t));
    }

    @Test
    void theLegacyFormUnderAGrant() {
        long t = time(1);
        assertEquals(0, cli(World.A_KEY, "--legacy", "--node-id", String.valueOf(World.NODE_B), "--cycle-time", String.valueOf(t),
                "--biz-date", String.valueOf(t - 86_400_000L), "--app-id", String.valueOf(World.WS_B), "--signature-version", "v1"), out + " " + err);
        assertTrue(out.toString().contains(" TriggerOutcome=Retained Reason=UpstreamNotFinished "), out.toString());
        var command = scheduler.commands.stream().filter(c -> c.path("triggerTime").asLong() == t).findFirst().orElseThrow();
        assertEquals("RunTriggerNode", command.path("action").asText());
    }

    @Test
    void refusalsExitWithOneAndRetryableAnswersWithThree() {
        assertEquals(1, cli(World.B_DEV_KEY, "--task-id", String.valueOf(World.NODE_B), "--time", String.valueOf(time(2))));
        assertTrue(out.toString().startsWith("Success=false Code=OperationDenied.AlreadyTriggered Message="), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(1, cli(World.B_VISITOR_KEY, "--task-id", String.valueOf(World.NODE_B), "--time", String.valueOf(time(0)), "--signature-version", "v1"));
        assertTrue(out.toString().startsWith("Success=false Code=Forbidden.NoPermission Message="), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(3, cli(World.B_DEV_KEY, "--task-id", String.valueOf(World.NODE_B), "--time", String.valueOf(time(3)), "--client-token", "cli-" + java.util.UUID.randomUUID()));
        assertTrue(out.toString().startsWith("Success=false Code=ServiceUnavailable Message="), out.toString());
    }
}
