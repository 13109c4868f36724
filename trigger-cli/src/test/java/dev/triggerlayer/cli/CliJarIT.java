package dev.triggerlayer.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.triggerlayer.cli.TriggerCliTest.KEY_ID;
import static dev.triggerlayer.cli.TriggerCliTest.SECRET;
import static dev.triggerlayer.cli.TriggerCliTest.SHANGHAI_MIDNIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar (target/trigger-cli-all.jar) and demo/trigger as separate processes, as a user runs them. */
class CliJarIT {

    record Result(int exit, String out, String err) {
    }

    GatewayStandIn gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayStandIn(Map.of(KEY_ID, SECRET));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    static Result exec(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ALIBABA_CLOUD_"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Never a Maven build inside this Maven build: the wrapper must find the packaged jar.
        pb.environment().put("TRIGGER_CLI_NO_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 60 s: " + command);
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> jar(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("cli.jar")));
        c.addAll(List.of(args));
        return c;
    }

    static List<String> wrapper(String... args) {
        List<String> c = new ArrayList<>(List.of("bash", new File(System.getProperty("cli.wrapper")).getAbsolutePath()));
        c.addAll(List.of(args));
        return c;
    }

    static final Map<String, String> ENV = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3"})
    void theRunnableJarTriggers(String version) throws Exception {
        Result r = exec(jar("--endpoint", gateway.endpoint(), "--task-id", "4001", "--env", "Prod", "--time", "2026-11-22 00:00:00",
                "--signature-version", version), ENV);

        assertEquals(0, r.exit(), r.err());
        assertEquals("Success=true RequestId=" + GatewayStandIn.REQUEST_ID + " TriggerOutcome=Triggered TaskInstanceId=555\n", r.out());
        assertEquals("", r.err(), "nothing else on stderr (no logging noise from the SDK)");
        assertTrue(gateway.only().verified(), gateway.only().failure());
        assertEquals(version.toUpperCase(), gateway.only().scheme());
        assertEquals(String.valueOf(SHANGHAI_MIDNIGHT), gateway.only().params().get("TriggerTime"));
    }

    @Test
    void theWrapperRunsTheJarWithTheLegacyForm() throws Exception {
        Result r = exec(wrapper("--legacy", "--endpoint", gateway.endpoint(), "--node-id", "4001", "--cycle-time", "2026-11-22 00:00:00",
                "--biz-date", "2026-11-21", "--app-id", "2002", "--json"), ENV);

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"Success\":true,\"RequestId\":\"" + GatewayStandIn.REQUEST_ID + "\""), r.out());
        assertEquals("RunTriggerNode", gateway.only().params().get("Action"));
        assertEquals("2002", gateway.only().params().get("AppId"));
    }

    @Test
    void theWrapperPassesRefusalsAndUsageErrorsOn() throws Exception {
        gateway.answer(GatewayStandIn.Answer.json(403, "{\"RequestId\":\"R-8\",\"Code\":\"Forbidden.CrossTenant\",\"Message\":\"No grant.\"}"));
        Result refused = exec(wrapper("--endpoint", gateway.endpoint(), "--task-id", "4001", "--time", "2026-11-22 00:00:00"), ENV);
        assertEquals(1, refused.exit(), refused.err());
        assertEquals("Success=false Code=Forbidden.CrossTenant Message=\"No grant.\" RequestId=R-8 HttpStatus=403 Retryable=false\n", refused.out());

        Result usage = exec(wrapper("--endpoint", gateway.endpoint(), "--time", "2026-11-22 00:00:00"), ENV);
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("--task-id"), usage.err());
        assertEquals(1, gateway.received.size(), "the usage error sent nothing");
    }
}
