package dev.triggerlayer.publisher.delivery.service;

import dev.triggerlayer.kit.net.OutboundUrls;
import dev.triggerlayer.publisher.config.PublisherConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * POSTs one delivery, non-blocking, with connect and answer timeouts, so a hanging endpoint costs
 * its own lane a bounded wait and nobody else anything. Before each connection the target's host
 * is resolved and every address checked ({@link OutboundUrls}: no loopback, private, link-local or
 * metadata address unless {@code publisher.delivery.allowed-private-targets} says so), and the
 * connection goes to a checked address, with the URL's host name as the Host header and TLS server
 * name: a name that resolves elsewhere by then (DNS rebinding) gains nothing. Only a 2xx answer
 * counts as delivered; redirects are not followed (a signed body is for the URL the subscription
 * names).
 */
@ApplicationScoped
public class HttpSender {

    private final HttpClient client;
    private final OutboundUrls urls;
    private final Duration requestTimeout;

    @jakarta.inject.Inject
    public HttpSender(Vertx vertx, PublisherConfig config) {
        this(vertx, config, java.net.InetAddress::getAllByName);
    }

    /** With another resolver: tests play DNS answers that change between the checks. */
    HttpSender(Vertx vertx, PublisherConfig config, OutboundUrls.Resolver resolver) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.delivery().connectTimeout().toMillis())
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setMaxPoolSize(64));
        this.urls = new OutboundUrls(config.delivery().allowedPrivateTargets().orElse(List.of()), resolver);
        this.requestTimeout = config.delivery().requestTimeout();
    }

    /** The outbound-URL check this sender applies, for the subscription API to use when a target is created. */
    public OutboundUrls urls() {
        return urls;
    }

    public Uni<Void> post(String url, byte[] body, String contentType, Map<String, String> headers) {
        URI uri = URI.create(url);
        // The JDK resolver blocks: resolve and check on a worker, never on an event loop.
        return Uni.createFrom().item(() -> urls.check(uri))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(e -> e instanceof OutboundUrls.Refused || e instanceof OutboundUrls.Unresolved)
                .transform(e -> new DeliveryFailure(null, "target refused: the URL " + e.getMessage()))
                .chain(addresses -> send(uri, addresses.get(0), body, contentType, headers));
    }

    private Uni<Void> send(URI uri, InetAddress address, byte[] body, String contentType, Map<String, String> headers) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .putHeader("Content-Type", contentType)
                .putHeader("User-Agent", "triggerlayer-event-publisher");
        headers.forEach(options::putHeader);
        return client.request(options)
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(response -> response.body().map(ignored -> response.statusCode()))
                .ifNoItem().after(requestTimeout).failWith(() -> new DeliveryFailure(null, "no answer within " + requestTimeout))
                .onFailure(e -> !(e instanceof DeliveryFailure)).transform(DeliveryFailure::of)
                .map(status -> {
                    if (status / 100 != 2) {
                        throw new DeliveryFailure(status, "HTTP " + status);
                    }
                    return null;
                });
    }
}
