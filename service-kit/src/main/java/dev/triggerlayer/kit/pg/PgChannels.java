package dev.triggerlayer.kit.pg;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * PostgreSQL LISTEN on a connection of its own (the pool's connections are for transactions),
 * reconnecting after a second when it drops. A NOTIFY is only a hint: every listener also
 * polls, so a notification missed while reconnecting delays work by one poll at most.
 */
@ApplicationScoped
public class PgChannels {

    private static final Logger LOG = Logger.getLogger(PgChannels.class);

    private final Vertx vertx;
    private final PgConnectOptions options;

    public PgChannels(Vertx vertx,
                      @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") String user,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring(15) : reactiveUrl)
                .setUser(user).setPassword(password.orElse(""));
    }

    /** Calls {@code onNotify} on each NOTIFY of {@code channel} (and once connected); close it to stop. */
    public PgSubscriber listen(String channel, Runnable onNotify) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(channel).handler(payload -> onNotify.run());
        subscriber.connect().subscribe().with(ok -> onNotify.run(),
                e -> LOG.warnf("LISTEN %s failed, polling only: %s", channel, e.getMessage()));
        return subscriber;
    }
}
