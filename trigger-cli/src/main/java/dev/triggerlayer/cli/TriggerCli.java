package dev.triggerlayer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trigger}: sends one AccessKey-signed trigger to the gateway through the official SDK and
 * prints the outcome on one line. The AccessKey comes from the environment, never from a flag.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
        versionProvider = TriggerCli.Version.class,
        customSynopsis = {
                "Usage: trigger [--endpoint URL] --task-id ID --time TIME [--env Prod|Dev] [options]",
                "       trigger --legacy [--endpoint URL] --node-id ID --cycle-time TIME --biz-date TIME --app-id ID [options]"},
        description = {
                "Triggers an HTTP trigger node's instance through the trigger gateway: TriggerSchedulerTaskInstance",
                "(2024-05-18), or RunTriggerNode (2020-05-18) with --legacy, signed by the official SDK (tea-openapi).",
                "The AccessKey is read from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET).",
                ""},
        footer = {"",
                "Times: 'yyyy-MM-dd HH:mm:ss' (or yyyy-MM-dd, or with T) in --time-zone, an ISO time with an offset",
                "('2026-11-22T00:00:00+08:00'), or epoch milliseconds (at least 12 digits).",
                "",
                "Output: one line, Success=true RequestId=... TriggerOutcome=..., or Success=false Code=... Message=...",
                "",
                "Exit codes:",
                "  0  triggered or retained (Success=true)",
                "  1  refused by the gateway with a documented error code (Code, Message); do not repeat as is",
                "  2  usage error: bad option or missing AccessKey variable; nothing was sent",
                "  3  no answer, timeout, unreadable answer, ServiceUnavailable, Throttling.*, 5xx: the outcome is",
                "     unknown; retry, with the same --client-token so that a retry never triggers twice",
                ""})
public final class TriggerCli implements Callable<Integer> {

    static final String ACTION = "TriggerSchedulerTaskInstance", ACTION_VERSION = "2024-05-18";
    static final String LEGACY_ACTION = "RunTriggerNode", LEGACY_VERSION = "2020-05-18";
    private static final Pattern CLIENT_TOKEN = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern TIMEOUT = Pattern.compile("([0-9]{1,7})(ms|s|m)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    enum Env { Prod, Dev }

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The gateway: http(s)://host[:port] (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--task-id", paramLabel = "ID", description = "The HTTP trigger node (TaskId).")
    Long taskId;

    @Option(names = "--env", paramLabel = "Prod|Dev", defaultValue = "Prod", description = "EnvType (default: ${DEFAULT-VALUE}).")
    Env env;

    @Option(names = "--time", paramLabel = "TIME", description = "The instance's scheduled time (TriggerTime).")
    String time;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "Asia/Shanghai",
            description = "Zone of times given without an offset; the workflows' default zone (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Option(names = "--client-token", paramLabel = "TOKEN",
            description = "ClientToken (1-64 of A-Z a-z 0-9 _ . -): a repeat with the same token returns the first outcome.")
    String clientToken;

    @Option(names = "--signature-version", paramLabel = "v1|v3", defaultValue = "v3",
            description = "v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256, the SDKs' default) (default: ${DEFAULT-VALUE}).")
    GatewayCall.Signature signature;

    @Option(names = "--legacy", description = "Call the legacy RunTriggerNode (2020-05-18) instead of TriggerSchedulerTaskInstance.")
    boolean legacy;

    @Option(names = "--node-id", paramLabel = "ID", description = "--legacy: NodeId.")
    Long nodeId;

    @Option(names = "--cycle-time", paramLabel = "TIME", description = "--legacy: CycleTime, the instance's scheduled time.")
    String cycleTime;

    @Option(names = "--biz-date", paramLabel = "TIME", description = "--legacy: BizDate (a date is its midnight in --time-zone).")
    String bizDate;

    @Option(names = "--app-id", paramLabel = "ID", description = "--legacy: AppId, the node's workspace.")
    Long appId;

    @Option(names = "--json", description = "Print the outcome as one JSON object.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Connect and read timeout, e.g. 30s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--access-key-id-env", paramLabel = "NAME", defaultValue = "ALIBABA_CLOUD_ACCESS_KEY_ID",
            description = "Environment variable holding the AccessKey id (default: ${DEFAULT-VALUE}).")
    String accessKeyIdEnv;

    @Option(names = "--access-key-secret-env", paramLabel = "NAME", defaultValue = "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            description = "Environment variable holding the AccessKey secret (default: ${DEFAULT-VALUE}); "
                    + "the secret itself is never a command-line argument.")
    String accessKeySecretEnv;

    private final Map<String, String> environment;

    TriggerCli(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(System.getenv(), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command with this environment and these streams; returns the exit code. */
    public static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new TriggerCli(environment))
                .setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("trigger: " + e.getMessage());
                    e.getCommandLine().getErr().println("Run 'trigger --help' for usage.");
                    return Outcome.USAGE;
                })
                .setExecutionExceptionHandler((e, c, p) -> {
                    c.getErr().println("trigger: unexpected failure, the outcome is unknown: " + e);
                    return Outcome.RETRYABLE;
                });
        return cmd.execute(args);
    }

    @Override
    public Integer call() {
        GatewayCall.Request request = request();
        Endpoint target = valid("--endpoint", () -> Endpoint.parse(endpoint));
        Duration limit = timeout();
        GatewayCall.AccessKey key = accessKey();
        Outcome outcome = GatewayCall.send(target, key, signature, limit, "triggerlayer-cli/" + Version.number(), request);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? outcome.json() : outcome.text());
        out.flush();
        return outcome.exitCode();
    }

    private GatewayCall.Request request() {
        ZoneId zone = valid("--time-zone", () -> Times.zone(timeZone));
        if (clientToken != null && !CLIENT_TOKEN.matcher(clientToken).matches()) {
            throw usage("Invalid value for option '--client-token': it must be 1 to 64 of A-Z a-z 0-9 _ . -");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (legacy) {
            refuse(List.of(option("--task-id", taskId), option("--time", time), option("--env", given("--env") ? env : null)),
                    "belongs to TriggerSchedulerTaskInstance, not to --legacy (RunTriggerNode has --node-id, --cycle-time, --biz-date, --app-id)");
            require(List.of(option("--node-id", nodeId), option("--cycle-time", cycleTime), option("--biz-date", bizDate), option("--app-id", appId)));
            parameters.put("NodeId", positive("--node-id", nodeId));
            parameters.put("CycleTime", valid("--cycle-time", () -> Times.epochMillis(cycleTime, zone)));
            parameters.put("BizDate", valid("--biz-date", () -> Times.epochMillis(bizDate, zone)));
            parameters.put("AppId", positive("--app-id", appId));
        } else {
            refuse(List.of(option("--node-id", nodeId), option("--cycle-time", cycleTime), option("--biz-date", bizDate), option("--app-id", appId)),
                    "needs --legacy (RunTriggerNode); TriggerSchedulerTaskInstance takes --task-id, --env, --time");
            require(List.of(option("--task-id", taskId), option("--time", time)));
            parameters.put("TaskId", positive("--task-id", taskId));
            parameters.put("EnvType", env.name());
            parameters.put("TriggerTime", valid("--time", () -> Times.epochMillis(time, zone)));
        }
        if (clientToken != null) {
            parameters.put("ClientToken", clientToken);
        }
        return legacy ? new GatewayCall.Request(LEGACY_ACTION, LEGACY_VERSION, parameters)
                : new GatewayCall.Request(ACTION, ACTION_VERSION, parameters);
    }

    private GatewayCall.AccessKey accessKey() {
        for (String name : List.of(accessKeyIdEnv, accessKeySecretEnv)) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw usage("Invalid value for option '" + (name.equals(accessKeyIdEnv) ? "--access-key-id-env" : "--access-key-secret-env")
                        + "': '" + name + "' is not an environment variable name (the secret itself is never given on the command line)");
            }
        }
        String id = environment.get(accessKeyIdEnv);
        String secret = environment.get(accessKeySecretEnv);
        List<String> missing = new ArrayList<>();
        if (id == null || id.isBlank()) {
            missing.add(accessKeyIdEnv);
        }
        if (secret == null || secret.isEmpty()) {
            missing.add(accessKeySecretEnv);
        }
        if (!missing.isEmpty()) {
            throw usage("The AccessKey is read from the environment: set " + String.join(" and ", missing));
        }
        return new GatewayCall.AccessKey(id.trim(), secret);
    }

    private Duration timeout() {
        Matcher m = TIMEOUT.matcher(timeout.trim());
        if (!m.matches()) {
            throw usage("Invalid value for option '--timeout': '" + timeout + "' (use e.g. 30s, 500ms, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw usage("Invalid value for option '--timeout': '" + timeout + "' must be more than 0 and at most 1 hour");
        }
        return d;
    }

    private record Given(String name, Object value) {
    }

    private static Given option(String name, Object value) {
        return new Given(name, value);
    }

    private boolean given(String name) {
        return spec.commandLine().getParseResult().hasMatchedOption(name);
    }

    private void refuse(List<Given> options, String why) {
        for (Given g : options) {
            if (g.value() != null) {
                throw usage("Option '" + g.name() + "' " + why);
            }
        }
    }

    private void require(List<Given> options) {
        List<String> missing = options.stream().filter(g -> g.value() == null).map(g -> "'" + g.name() + "'").toList();
        if (!missing.isEmpty()) {
            throw usage("Missing required option" + (missing.size() > 1 ? "s: " : ": ") + String.join(", ", missing));
        }
    }

    private long positive(String name, long value) {
        if (value <= 0) {
            throw usage("Invalid value for option '" + name + "': " + value + " (ids are positive)");
        }
        return value;
    }

    private <T> T valid(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage("Invalid value for option '" + name + "': " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The version in the jar's manifest (the Maven project version). */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() {
            String v = TriggerCli.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"trigger " + number()};
        }
    }
}
