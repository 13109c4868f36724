package dev.triggerlayer.gateway;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import dev.triggerlayer.gateway.directory.Directory;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** Shared set-up of gateway tests: the world on the feeds, the scheduler stand-in, SDK clients. */
public final class GatewayHarness {

    static SchedulerStandIn scheduler;
    private static final AtomicLong TIMES = new AtomicLong(1_800_000_000_000L);

    private GatewayHarness() {
    }

    static synchronized void ready(Directory directory) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        World.publish(bootstrap);
        if (scheduler == null) {
            scheduler = new SchedulerStandIn(bootstrap);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> World.allKeys().stream().allMatch(k -> directory.accessKey(k.id()) != null)
                && directory.node(World.NODE_B_DEV) != null && !directory.grants(World.A_ROOT, World.WS_B, java.time.Instant.now()).isEmpty());
    }

    /** A fresh scheduled time whose last digit chooses the stand-in's outcome. */
    static long time(int outcomeDigit) {
        return TIMES.addAndGet(10) + outcomeDigit;
    }

    static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    static com.aliyun.teaopenapi.Client client(World.Key key, boolean v1) throws Exception {
        Config config = new Config().setAccessKeyId(key.id()).setAccessKeySecret(key.secret())
                .setEndpoint("127.0.0.1:" + port()).setProtocol("HTTP");
        if (v1) {
            config.setSignatureAlgorithm("v2");
        }
        return new com.aliyun.teaopenapi.Client(config);
    }

    static com.aliyun.dataworks_public20200518.Client legacyClient(World.Key key, boolean v1) throws Exception {
        Config config = new Config().setAccessKeyId(key.id()).setAccessKeySecret(key.secret())
                .setEndpoint("127.0.0.1:" + port()).setProtocol("HTTP");
        if (v1) {
            config.setSignatureAlgorithm("v2");
        }
        return new com.aliyun.dataworks_public20200518.Client(config);
    }

    /** TriggerSchedulerTaskInstance through the SDK's generic callApi; returns the response body. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> trigger(World.Key key, boolean v1, long taskId, String env, long triggerTime, String clientToken) throws Exception {
        Params params = new Params().setAction("TriggerSchedulerTaskInstance").setVersion("2024-05-18").setProtocol("HTTP")
                .setMethod("POST").setAuthType("AK").setStyle("RPC").setPathname("/").setReqBodyType("formData").setBodyType("json");
        Map<String, Object> body = new HashMap<>(Map.of("TaskId", taskId, "EnvType", env, "TriggerTime", triggerTime));
        if (clientToken != null) {
            body.put("ClientToken", clientToken);
        }
        Map<String, ?> response = client(key, v1).callApi(params, new OpenApiRequest().setBody(body), new RuntimeOptions());
        return (Map<String, Object>) response.get("body");
    }

    /** The code of the SDK's exception for a call expected to fail. */
    static String errorCode(ThrowingCall call) {
        try {
            call.run();
        } catch (TeaException e) {
            return e.getCode();
        } catch (Exception e) {
            throw new AssertionError("expected a TeaException, got " + e, e);
        }
        throw new AssertionError("expected the call to fail");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
