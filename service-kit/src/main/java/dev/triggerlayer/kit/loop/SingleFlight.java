package dev.triggerlayer.kit.loop;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a pass at most once at a time: a wake-up during a pass makes another pass follow it, so
 * no wake-up is lost and passes never overlap. Used by loops that NOTIFY or a timer wake (outbox
 * relays, the run dispatcher).
 */
public final class SingleFlight {

    private static final Logger LOG = Logger.getLogger(SingleFlight.class);

    private final String name;
    private final Supplier<Uni<Boolean>> pass;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean enabled;
    private volatile Throwable lastFailure;

    /** @param pass one pass; its item says whether more work is waiting right away */
    public SingleFlight(String name, Supplier<Uni<Boolean>> pass) {
        this.name = name;
        this.pass = pass;
    }

    public void enable() {
        enabled = true;
        wake();
    }

    public void disable() {
        enabled = false;
    }

    /** The failure of the last pass, or null when it succeeded. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** Runs a pass now, or right after the one in progress. */
    public void wake() {
        again.set(true);
        if (enabled && running.compareAndSet(false, true)) {
            again.set(false);
            Uni<Boolean> next;
            try {
                next = pass.get();
            } catch (RuntimeException e) {
                next = Uni.createFrom().failure(e);
            }
            next.subscribe().with(more -> finished(Boolean.TRUE.equals(more), null), failure -> {
                LOG.warnf("%s pass failed, the next one retries: %s", name, failure.getMessage());
                finished(false, failure);
            });
        }
    }

    private void finished(boolean moreWaiting, Throwable failure) {
        lastFailure = failure;
        running.set(false);
        if (moreWaiting || again.get()) {
            wake();
        }
    }
}
