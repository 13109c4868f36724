package dev.triggerlayer.publisher.delivery.service;

import dev.triggerlayer.publisher.config.PublisherConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs one delivery with the JDK's HTTP client: non-blocking, with connect and answer
 * timeouts, so a hanging endpoint costs its own lane a bounded wait and nobody else anything.
 * Only a 2xx answer counts as delivered; redirects are not followed (a signed body is for the
 * URL the subscription names).
 */
@ApplicationScoped
public class HttpSender {

    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpSender(PublisherConfig config) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.delivery().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = config.delivery().requestTimeout();
    }

    public Uni<Void> post(String url, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "triggerlayer-event-publisher")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return Uni.createFrom().completionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
                .onFailure().transform(DeliveryFailure::of)
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new DeliveryFailure(response.statusCode(), "HTTP " + response.statusCode());
                    }
                    return null;
                });
    }
}
