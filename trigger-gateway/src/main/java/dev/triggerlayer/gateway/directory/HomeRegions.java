package dev.triggerlayer.gateway.directory;

import dev.triggerlayer.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Whether a tenant is served here or by its home region elsewhere (docs/federation.md). */
@ApplicationScoped
public class HomeRegions {

    private final Directory directory;
    private final Optional<String> region;

    public HomeRegions(Directory directory, GatewayConfig config) {
        this.directory = directory;
        this.region = config.federation().region();
    }

    /**
     * The tenant's home region when it is not this gateway's, else empty: without a region of its
     * own, or for a tenant without one, everything is served by this region.
     */
    public Optional<String> remoteHome(long tenantId) {
        if (region.isEmpty()) {
            return Optional.empty();
        }
        Directory.Tenant tenant = directory.tenant(tenantId);
        String home = tenant == null ? "" : tenant.homeRegion();
        return home.isBlank() || home.equals(region.get()) ? Optional.empty() : Optional.of(home);
    }

    /** This gateway's region. */
    public Optional<String> region() {
        return region;
    }
}
