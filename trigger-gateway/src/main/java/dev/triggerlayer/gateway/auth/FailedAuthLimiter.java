package dev.triggerlayer.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.triggerlayer.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Limits failed authentications per AccessKey id and per client address on this replica: each has
 * a bucket of failures that refills slowly; while either bucket is empty the request is refused
 * before its signature is computed. Only failures take from a bucket, so a client that signs
 * correctly is never slowed by it. The buckets live in bounded caches (an attacker with many
 * addresses evicts old entries instead of growing the heap).
 */
@ApplicationScoped
public class FailedAuthLimiter {

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    private final GatewayConfig.FailedAuth config;
    private final Cache<String, Bucket> byKey;
    private final Cache<String, Bucket> byAddress;

    public FailedAuthLimiter(GatewayConfig config) {
        this.config = config.failedAuth();
        Duration idle = Duration.ofSeconds((long) Math.ceil(Math.max(this.config.perKeyBurst() / this.config.perKeyPerSecond(),
                this.config.perAddressBurst() / this.config.perAddressPerSecond())) + 1);
        // Caffeine rather than a map: bounded and self-expiring, the two things a hand-written map gets wrong under attack.
        this.byKey = Caffeine.newBuilder().maximumSize(this.config.maxTracked()).expireAfterAccess(idle).build();
        this.byAddress = Caffeine.newBuilder().maximumSize(this.config.maxTracked()).expireAfterAccess(idle).build();
    }

    /** 0 when this key and address may try to authenticate, else the milliseconds until they may. */
    public long waitMillis(String accessKeyId, String address) {
        long now = System.nanoTime();
        long byAddr = wait(byAddress.getIfPresent(address), now, config.perAddressBurst(), config.perAddressPerSecond());
        long byKeyId = accessKeyId == null ? 0
                : wait(byKey.getIfPresent(accessKeyId), now, config.perKeyBurst(), config.perKeyPerSecond());
        return Math.max(byAddr, byKeyId);
    }

    /** Records one failed authentication from this address (and for this key id, when the request named one). */
    public void failed(String accessKeyId, String address) {
        long now = System.nanoTime();
        take(byAddress.get(address, a -> full(config.perAddressBurst(), now)), now, config.perAddressBurst(), config.perAddressPerSecond());
        if (accessKeyId != null) {
            take(byKey.get(accessKeyId, k -> full(config.perKeyBurst(), now)), now, config.perKeyBurst(), config.perKeyPerSecond());
        }
    }

    private static Bucket full(int burst, long now) {
        Bucket b = new Bucket();
        b.tokens = burst;
        b.lastNanos = now;
        return b;
    }

    private static long wait(Bucket bucket, long now, int burst, double perSecond) {
        if (bucket == null) {
            return 0;
        }
        synchronized (bucket) {
            double tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond);
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perSecond * 1000);
        }
    }

    private static void take(Bucket bucket, long now, int burst, double perSecond) {
        synchronized (bucket) {
            bucket.tokens = Math.max(0, Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond) - 1);
            bucket.lastNanos = now;
        }
    }
}
