package dev.triggerlayer.gateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The scheduler's task instance query API (GetTaskInstance, ListTaskInstances answer from it). */
@ApplicationScoped
public class SchedulerClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final GatewayConfig.Scheduler config;
    private final ObjectMapper json;

    public SchedulerClient(GatewayConfig config, ObjectMapper json) {
        this.config = config.scheduler();
        this.json = json;
    }

    public Uni<JsonNode> instance(long id) {
        return get("/api/v1/instances/" + id);
    }

    public Uni<JsonNode> instances(Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return get("/api/v1/instances?" + q);
    }

    private Uni<JsonNode> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + config.token()).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> new ApiException(503, "ServiceUnavailable", "The instance store is not reachable; try again later."))
                .map(response -> {
                    JsonNode body;
                    try {
                        body = json.readTree(response.body());
                    } catch (Exception e) {
                        throw new ApiException(503, "ServiceUnavailable", "The instance store answered unexpectedly; try again later.");
                    }
                    if (response.statusCode() == 404) {
                        throw new ApiException(404, "InvalidTaskInstance.NotFound", "The task instance does not exist.");
                    }
                    if (response.statusCode() == 400) {
                        throw ApiException.invalid(body.path("field").asText("?"), body.path("message").asText());
                    }
                    if (response.statusCode() != 200) {
                        throw new ApiException(503, "ServiceUnavailable", "The instance store is not available; try again later.");
                    }
                    return body;
                });
    }
}
