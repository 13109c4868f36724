package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per AccessKey on this replica (the cluster-wide rate is replicas × the configured
 * rate; a per-key limit only needs to stop one client from starving the others). Some keys may
 * have limits of their own ({@code gateway.rate-limit.keys}).
 */
@ApplicationScoped
public class RateLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final double perSecond;
    private final int burst;
    private final Map<String, GatewayConfig.RateLimit.KeyLimit> perKey;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(GatewayConfig config) {
        this.perSecond = config.rateLimit().permitsPerSecond();
        this.burst = config.rateLimit().burst();
        this.perKey = config.rateLimit().keys();
    }

    /** 0 when the request may go ahead, else the milliseconds until a token is free. */
    public long acquire(String accessKeyId) {
        GatewayConfig.RateLimit.KeyLimit own = perKey.get(accessKeyId);
        double perSecond = own == null ? this.perSecond : own.permitsPerSecond();
        int burst = own == null ? this.burst : own.burst();
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(accessKeyId, k -> {
            Bucket b = new Bucket();
            b.tokens = burst;
            b.lastNanos = now;
            return b;
        });
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond);
            bucket.lastNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / perSecond * 1000);
        }
    }

}
