package dev.triggerlayer.gateway.query;

import dev.triggerlayer.gateway.config.GatewayConfig;
import dev.triggerlayer.gateway.directory.HomeRegions;
import dev.triggerlayer.gateway.rpc.ApiException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The query API of the other regions' schedulers: a query for a tenant homed elsewhere is answered
 * by its home region, over HTTP (docs/federation.md: why not a replicated read model). Clients are
 * built from {@code gateway.federation.peers.<region>.scheduler-url} and its read-only token.
 */
@ApplicationScoped
public class PeerSchedulers {

    private final HomeRegions homes;
    private final Map<String, SchedulerApi> peers = new HashMap<>();

    public PeerSchedulers(HomeRegions homes, GatewayConfig config) {
        this.homes = homes;
        config.federation().peers().forEach((region, peer) -> peer.schedulerUrl().ifPresent(url -> {
            String authorization = "Bearer " + peer.schedulerToken().orElse("");
            peers.put(region, QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(url))
                    .connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)
                    .register((ClientRequestFilter) request -> request.getHeaders().putSingle("Authorization", authorization))
                    .build(SchedulerApi.class));
        }));
    }

    /**
     * The scheduler of the tenant's home region when that is another region, else empty (the local
     * one answers). A home region this gateway has no address for is a retryable refusal.
     */
    public Optional<SchedulerApi> forTenant(long tenantId) {
        Optional<String> home = homes.remoteHome(tenantId);
        if (home.isEmpty()) {
            return Optional.empty();
        }
        SchedulerApi api = peers.get(home.get());
        if (api == null) {
            throw new ApiException(503, "ServiceUnavailable", "The tenant's instances are kept in region " + home.get()
                    + ", which this gateway cannot query (no gateway.federation.peers." + home.get() + ".scheduler-url).");
        }
        return Optional.of(api);
    }
}
