package dev.triggerlayer.registry.accesskey;

import dev.triggerlayer.kit.crypto.SealedSecrets;
import dev.triggerlayer.kit.error.InvalidInputException;
import dev.triggerlayer.kit.error.NotFoundException;
import dev.triggerlayer.registry.feed.ChangeFeed;
import dev.triggerlayer.registry.user.UserService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

@ApplicationScoped
public class AccessKeyService {

    static final String KIND = "access-key";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{16,32}");

    private final ChangeFeed feed;
    private final SealedSecrets atRest;
    private final SealedSecrets onFeed;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccessKeyService(ChangeFeed feed, @Named("at-rest") SealedSecrets atRest, @Named("feed") SealedSecrets onFeed, Clock clock) {
        this.feed = feed;
        this.atRest = atRest;
        this.onFeed = onFeed;
        this.clock = clock;
    }

    /** Creates a key for the user; the answer carries the secret, which is never shown again. */
    @WithTransaction
    public Uni<NewAccessKey> create(long userId) {
        return feed.lockWrites()
                .chain(() -> UserService.requireReference("userId", userId))
                .chain(user -> {
                    AccessKey key = new AccessKey();
                    key.id = "LTAI" + randomText(20);
                    key.tenantId = user.tenantId;
                    key.userId = userId;
                    key.enabled = true;
                    key.createdAt = clock.instant();
                    return saveWithNewSecret(key);
                });
    }

    /** Replaces the secret of a key; the old secret stops working as soon as gateways see the change. */
    @WithTransaction
    public Uni<NewAccessKey> rotate(String id) {
        return feed.lockWrites().chain(() -> require(id)).chain(this::saveWithNewSecret);
    }

    @WithTransaction
    public Uni<AccessKeyView> setEnabled(String id, boolean enabled) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .chain(key -> {
                    key.enabled = enabled;
                    key.updatedAt = clock.instant();
                    return key.<AccessKey>persist();
                })
                .call(key -> feed.changed(KIND, key.id, feedView(key, open(key))))
                .map(AccessKeyView::of);
    }

    @WithTransaction
    public Uni<Void> delete(String id) {
        return feed.lockWrites()
                .chain(() -> require(id))
                .chain(key -> key.delete())
                .chain(() -> feed.deleted(KIND, id));
    }

    @WithSession
    public Uni<AccessKeyView> get(String id) {
        return require(id).map(AccessKeyView::of);
    }

    @WithSession
    public Uni<List<AccessKeyView>> list(long userId) {
        return UserService.requireReference("userId", userId)
                .chain(() -> AccessKey.<AccessKey>find("userId", Sort.by("createdAt"), userId).list())
                .map(all -> all.stream().map(AccessKeyView::of).toList());
    }

    /**
     * Seals every secret again under the active at-rest key: the last step of a key rotation,
     * after which the old key can leave the ring. Returns how many keys were re-sealed.
     */
    @WithTransaction
    public Uni<Integer> resealAll() {
        return AccessKey.<AccessKey>list("secretKeyId <> ?1", atRest.activeKeyId())
                .chain(keys -> Multi.createFrom().iterable(keys)
                        .onItem().transformToUniAndConcatenate(key -> {
                            SealedSecrets.Sealed sealed = atRest.seal(open(key), key.id);
                            key.secretCiphertext = sealed.bytes();
                            key.secretKeyId = sealed.keyId();
                            return key.<AccessKey>persist();
                        })
                        .collect().asList()
                        .map(List::size));
    }

    private Uni<NewAccessKey> saveWithNewSecret(AccessKey key) {
        String secret = randomText(30);
        SealedSecrets.Sealed sealed = atRest.seal(secret, key.id);
        key.secretCiphertext = sealed.bytes();
        key.secretKeyId = sealed.keyId();
        key.updatedAt = clock.instant();
        return key.<AccessKey>persist()
                .call(saved -> feed.changed(KIND, saved.id, feedView(saved, secret)))
                .map(saved -> new NewAccessKey(saved.id, secret, saved.tenantId, saved.userId, saved.enabled, saved.createdAt));
    }

    private AccessKeyFeedView feedView(AccessKey key, String secret) {
        SealedSecrets.Sealed sealed = onFeed.seal(secret, key.id);
        return new AccessKeyFeedView(key.id, key.tenantId, key.userId, key.enabled, key.createdAt, key.updatedAt,
                sealed.keyId(), Base64.getEncoder().encodeToString(sealed.bytes()));
    }

    private String open(AccessKey key) {
        return atRest.open(new SealedSecrets.Sealed(key.secretKeyId, key.secretCiphertext), key.id);
    }

    private Uni<AccessKey> require(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("accessKeyId", "must be 16 to 32 letters and digits");
        }
        return AccessKey.<AccessKey>findById(id).map(k -> {
            if (k == null) {
                throw new NotFoundException(KIND, id);
            }
            return k;
        });
    }

    private String randomText(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
