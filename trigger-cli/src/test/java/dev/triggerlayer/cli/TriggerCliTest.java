package dev.triggerlayer.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI in-process against a real HTTP stand-in of the gateway that checks signatures on its own. */
class TriggerCliTest {

    static final String KEY_ID = "LTAI5tCliTestKey000001";
    static final String SECRET = "cliTestSecret0123456789abcdefgh";
    static final Map<String, String> ENV = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    /** 2026-11-22 00:00:00 in Asia/Shanghai (UTC+8) = 2026-11-21T16:00:00Z. */
    static final long SHANGHAI_MIDNIGHT = 1_795_276_800_000L;

    GatewayStandIn gateway;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayStandIn(Map.of(KEY_ID, SECRET));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    int run(Map<String, String> env, String... args) {
        return TriggerCli.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    int trigger(String... extra) {
        List<String> args = new ArrayList<>(List.of("--endpoint", gateway.endpoint()));
        args.addAll(List.of(extra));
        return run(ENV, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3"})
    void triggersThroughTheSdkInBothSignatureVersions(String version) {
        int code = trigger("--task-id", "4001", "--env", "Prod", "--time", "2026-11-22 00:00:00", "--signature-version", version);

        assertEquals(0, code, err.toString());
        GatewayStandIn.Received r = gateway.only();
        assertTrue(r.verified(), r.failure());
        assertEquals(version.toUpperCase(), r.scheme());
        assertEquals(KEY_ID, r.accessKeyId());
        assertEquals("POST", r.method());
        assertEquals("TriggerSchedulerTaskInstance", r.params().get("Action"));
        assertEquals("2024-05-18", r.params().get("Version"));
        assertEquals("4001", r.params().get("TaskId"));
        assertEquals("Prod", r.params().get("EnvType"));
        assertEquals(String.valueOf(SHANGHAI_MIDNIGHT), r.params().get("TriggerTime"), "the default zone is Asia/Shanghai");
        assertFalse(r.params().containsKey("ClientToken"));
        assertEquals("Success=true RequestId=" + GatewayStandIn.REQUEST_ID + " TriggerOutcome=Triggered TaskInstanceId=555\n", out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void v3IsTheDefaultAsInTheSdks() {
        assertEquals(0, trigger("--task-id", "4001", "--time", "1795276800000"));
        assertEquals("V3", gateway.only().scheme());
        assertTrue(gateway.only().verified(), gateway.only().failure());
        assertEquals("Prod", gateway.only().params().get("EnvType"), "EnvType defaults to Prod");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-22 00:00:00       | Asia/Shanghai | 1795276800000",
            "2026-11-22T00:00:00       | Asia/Shanghai | 1795276800000",
            "2026-11-22 00:00          | UTC           | 1795305600000",
            "2026-11-22                | +08:00        | 1795276800000",
            "2026-11-22T00:00:00+08:00 | UTC           | 1795276800000",
            "2026-11-21T16:00:00Z      | Asia/Tokyo    | 1795276800000",
            "1795276800000             | UTC           | 1795276800000",
            "2026-03-08 03:30:00       | America/New_York | 1772955000000"})
    void timesAreConvertedToEpochMillisInTheGivenZone(String time, String zone, long expected) {
        assertEquals(0, trigger("--task-id", "4001", "--env", "Dev", "--time", time, "--time-zone", zone, "--signature-version", "v1"), err.toString());
        assertEquals(String.valueOf(expected), gateway.only().params().get("TriggerTime"));
        assertEquals("Dev", gateway.only().params().get("EnvType"));
    }

    @Test
    void aRetainedTriggerIsASuccessAndTheClientTokenIsSent() {
        gateway.answer(GatewayStandIn.Answer.json(200, "{\"RequestId\":\"R-2\",\"Success\":true,\"TriggerOutcome\":\"Retained\","
                + "\"Reason\":\"UpstreamNotFinished\",\"RetainedUntil\":1900000000000,\"TaskInstanceId\":555}"));
        assertEquals(0, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00", "--client-token", "nightly-2026-11-22"));
        assertEquals("nightly-2026-11-22", gateway.only().params().get("ClientToken"));
        assertTrue(gateway.only().verified(), gateway.only().failure());
        assertEquals("Success=true RequestId=R-2 TriggerOutcome=Retained Reason=UpstreamNotFinished RetainedUntil=1900000000000 TaskInstanceId=555\n",
                out.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3"})
    void theLegacyFormCallsRunTriggerNode(String version) {
        int code = trigger("--legacy", "--node-id", "4001", "--cycle-time", "2026-11-22 00:00:00", "--biz-date", "2026-11-21",
                "--app-id", "2002", "--signature-version", version);

        assertEquals(0, code, err.toString());
        GatewayStandIn.Received r = gateway.only();
        assertTrue(r.verified(), r.failure());
        assertEquals("RunTriggerNode", r.params().get("Action"));
        assertEquals("2020-05-18", r.params().get("Version"));
        assertEquals("4001", r.params().get("NodeId"));
        assertEquals(String.valueOf(SHANGHAI_MIDNIGHT), r.params().get("CycleTime"));
        assertEquals("1795190400000", r.params().get("BizDate"), "2026-11-21 00:00 in Asia/Shanghai");
        assertEquals("2002", r.params().get("AppId"));
        assertFalse(r.params().containsKey("TaskId"));
        assertFalse(r.params().containsKey("EnvType"));
    }

    @Test
    void aRefusalExitsWithOneAndPrintsCodeAndMessage() {
        gateway.answer(GatewayStandIn.Answer.json(400, "{\"RequestId\":\"R-3\",\"HostId\":\"gw\",\"Code\":\"OperationDenied.AlreadyTriggered\","
                + "\"Message\":\"The instance was triggered before.\",\"Recommend\":\"docs/errors.md#OperationDenied.AlreadyTriggered\"}"));
        assertEquals(1, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00"));
        assertEquals("Success=false Code=OperationDenied.AlreadyTriggered Message=\"The instance was triggered before.\" RequestId=R-3"
                + " HttpStatus=400 Retryable=false\n", out.toString());
    }

    @Test
    void jsonOutputIsOneMachineReadableObject() {
        assertEquals(0, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00", "--json"));
        assertEquals(1, out.toString().lines().count());
        JsonObject ok = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertTrue(ok.get("Success").getAsBoolean());
        assertEquals(GatewayStandIn.REQUEST_ID, ok.get("RequestId").getAsString());
        assertEquals("555", ok.get("TaskInstanceId").toString(), "an id stays an integer");

        out.getBuffer().setLength(0);
        gateway.answer(GatewayStandIn.Answer.json(404, "{\"RequestId\":\"R-4\",\"Code\":\"InvalidTaskId.NotFound\",\"Message\":\"Node 4001 does not exist in Prod.\"}"));
        assertEquals(1, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00", "--json"));
        JsonObject refused = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertFalse(refused.get("Success").getAsBoolean());
        assertEquals("InvalidTaskId.NotFound", refused.get("Code").getAsString());
        assertEquals("Node 4001 does not exist in Prod.", refused.get("Message").getAsString());
        assertEquals("R-4", refused.get("RequestId").getAsString());
        assertEquals(404, refused.get("HttpStatus").getAsInt());
        assertFalse(refused.get("Retryable").getAsBoolean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3"})
    void aWrongSecretIsRefusedByTheIndependentVerifier(String version) {
        Map<String, String> env = Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret");
        assertEquals(1, run(env, "--endpoint", gateway.endpoint(), "--task-id", "4001", "--time", "2026-11-22 00:00:00", "--signature-version", version));
        assertFalse(gateway.only().verified());
        assertTrue(gateway.only().failure().contains(version.toUpperCase() + " signature does not match"), gateway.only().failure());
        assertTrue(out.toString().startsWith("Success=false Code=SignatureDoesNotMatch "), out.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "503 | {\"RequestId\":\"R-5\",\"Code\":\"ServiceUnavailable\",\"Message\":\"The outcome is not known yet.\"} | ServiceUnavailable",
            "400 | {\"RequestId\":\"R-6\",\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\"} | Throttling.User",
            "500 | {\"RequestId\":\"R-7\",\"Code\":\"InternalError\",\"Message\":\"unknown\"} | InternalError"})
    void answersThatSayTryAgainExitWithThree(int status, String body, String code) {
        gateway.answer(GatewayStandIn.Answer.json(status, body));
        assertEquals(3, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00", "--client-token", "t1"));
        assertTrue(out.toString().startsWith("Success=false Code=" + code + " "), out.toString());
        assertTrue(out.toString().endsWith(" Retryable=true\n"), out.toString());
    }

    @Test
    void noAnswerInTimeExitsWithThree() {
        gateway.holdAnswers();
        assertEquals(3, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00", "--timeout", "300ms"));
        gateway.release();
        assertTrue(out.toString().startsWith("Success=false Code=Timeout "), out.toString());
        assertEquals(1, gateway.received.size(), "one attempt: the SDK's own retries are off");
    }

    @Test
    void nothingListeningExitsWithThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(3, run(ENV, "--endpoint", "http://127.0.0.1:" + port, "--task-id", "4001", "--time", "2026-11-22 00:00:00", "--json"));
        JsonObject o = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertEquals("TransportError", o.get("Code").getAsString());
        assertTrue(o.get("Retryable").getAsBoolean());
    }

    @Test
    void anAnswerThatIsNotJsonExitsWithThree() {
        gateway.answer(new GatewayStandIn.Answer(502, "text/html", "<html>Bad Gateway</html>"));
        assertEquals(3, trigger("--task-id", "4001", "--time", "2026-11-22 00:00:00"));
        assertTrue(out.toString().startsWith("Success=false Code=InvalidResponse "), out.toString());
    }

    @Test
    void aMissingTaskIdIsAUsageErrorNamingTheOption() {
        assertEquals(2, trigger("--env", "Prod", "--time", "2026-11-22 00:00:00"));
        assertTrue(err.toString().contains("--task-id"), err.toString());
        assertEquals("", out.toString());
        assertTrue(gateway.received.isEmpty(), "nothing sent");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-                    | ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            "--access-key-secret-env | MY_SECRET"})
    void aMissingSecretInTheEnvironmentIsAUsageError(String flag, String variable) {
        List<String> args = new ArrayList<>(List.of("--endpoint", gateway.endpoint(), "--task-id", "4001", "--time", "2026-11-22 00:00:00"));
        if (flag != null) {
            args.addAll(List.of(flag, variable));
        }
        assertEquals(2, run(Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID), args.toArray(String[]::new)));
        assertTrue(err.toString().contains(variable), err.toString());
        assertFalse(err.toString().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "the id is set: " + err);
        assertTrue(gateway.received.isEmpty(), "nothing sent");
    }

    @Test
    void theAccessKeyComesFromTheNamedVariables() {
        Map<String, String> env = Map.of("TENANT_A_ACCESS_KEY_ID", KEY_ID, "TENANT_A_ACCESS_KEY_SECRET", SECRET);
        assertEquals(0, run(env, "--endpoint", gateway.endpoint(), "--task-id", "4001", "--time", "2026-11-22 00:00:00",
                "--access-key-id-env", "TENANT_A_ACCESS_KEY_ID", "--access-key-secret-env", "TENANT_A_ACCESS_KEY_SECRET"), err.toString());
        assertTrue(gateway.only().verified());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--task-id 4001 --time 1795276800                              | --time",
            "--task-id 4001 --time 2026-13-01                              | --time",
            "--task-id 4001 --time 2026-11-22 --time-zone Mars/Olympus     | --time-zone",
            "--task-id 4001 --time 2026-11-01T01:30 --time-zone America/New_York | --time",
            "--task-id 4001 --time 2026-03-08T02:30 --time-zone America/New_York | --time",
            "--task-id x --time 1795276800000                              | --task-id",
            "--task-id 0 --time 1795276800000                              | --task-id",
            "--task-id 4001 --time 1795276800000 --env Staging             | --env",
            "--task-id 4001 --time 1795276800000 --signature-version v2    | --signature-version",
            "--task-id 4001 --time 1795276800000 --client-token a/b        | --client-token",
            "--task-id 4001 --time 1795276800000 --timeout soon            | --timeout",
            "--task-id 4001 --time 1795276800000 --endpoint 127.0.0.1:8080 | --endpoint",
            "--task-id 4001 --time 1795276800000 --node-id 4001            | --node-id",
            "--legacy --task-id 4001 --time 1795276800000                  | --task-id",
            "--legacy --node-id 4001 --cycle-time 1795276800000 --app-id 2002 | --biz-date",
            "--legacy --node-id 4001 --cycle-time 1795276800000 --biz-date 2026-11-21 --app-id 2002 --env Dev | --env",
            "--task-id 4001 --time 1795276800000 --access-key-secret-env s3cr3t-value | --access-key-secret-env",
            "--task-id 4001 --time 1795276800000 --access-key-secret s3cr3t | --access-key-secret"})
    void badOptionsAreUsageErrorsNamingTheOption(String args, String option) {
        List<String> argv = new ArrayList<>();
        if (!args.contains("--endpoint")) {
            argv.addAll(List.of("--endpoint", gateway.endpoint()));
        }
        argv.addAll(List.of(args.trim().split(" +")));
        assertEquals(2, run(ENV, argv.toArray(String[]::new)));
        assertTrue(err.toString().contains(option), err.toString());
        assertTrue(gateway.received.isEmpty(), "nothing sent");
    }

    @Test
    void helpListsTheExitCodes() {
        assertEquals(0, run(ENV, "--help"));
        assertTrue(out.toString().contains("--signature-version"), out.toString());
        assertTrue(out.toString().contains("Exit codes"), out.toString());
        assertTrue(gateway.received.isEmpty());
    }
}
