package dev.triggerlayer.kit.loop;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A hand-started loop on a thread of its own (a Kafka reader, a consumer, a listener) that keeps
 * running: when its body throws, anything at all, the failure is logged and the body runs again
 * after a backoff; until the body says it is {@link #up()} again the loop reports the failure, and
 * readiness ({@code LoopsReadiness}) is DOWN. Every loop of the process is listed in
 * {@link #all()}. Hand-written: the Kafka clients these loops drive are blocking and
 * single-threaded, which none of Quarkus' schedulers or Mutiny's retry operators model.
 */
public final class SupervisedLoop {

    /** What the loop runs; it returns when {@link SupervisedLoop#running()} turns false, or throws. */
    public interface Body {
        void run(SupervisedLoop loop) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(SupervisedLoop.class);
    private static final Map<String, SupervisedLoop> ALL = new ConcurrentSkipListMap<>();

    private final String name;
    private final Backoff backoff;
    private final Body body;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean up;
    private volatile String failure = "starting";
    private volatile Runnable interrupt = () -> { };
    private Thread thread;

    public SupervisedLoop(String name, Backoff backoff, Body body) {
        this.name = name;
        this.backoff = backoff;
        this.body = body;
    }

    /** Every loop of this process by name, for readiness. */
    public static Map<String, SupervisedLoop> all() {
        return ALL;
    }

    public synchronized SupervisedLoop start() {
        if (thread == null) {
            running = true;
            ALL.put(name, this);
            thread = new Thread(this::supervise, name);
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /**
     * Stops the loop: the body sees {@link #running()} false and its interrupt hook is called;
     * waits up to {@code wait} for its thread to end (not at all for zero).
     */
    public void stop(Duration wait) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        ALL.remove(name, this);
        interrupt.run();
        if (t != null) {
            t.interrupt();
            if (wait.toMillis() > 0) {
                try {
                    t.join(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The body calls this once it serves (connected, assigned): readiness is UP and the backoff starts over. */
    public void up() {
        up = true;
        failure = null;
    }

    /** The body calls this when it stops serving without throwing (waiting for something it needs). */
    public void down(String why) {
        up = false;
        failure = why;
    }

    /** How to wake the body from a blocking call when the loop stops ({@code KafkaConsumer::wakeup}, say). */
    public void onStop(Runnable interrupt) {
        this.interrupt = interrupt == null ? () -> { } : interrupt;
    }

    public boolean running() {
        return running;
    }

    /** Null while the body serves; else why not (the last failure, or "starting"). */
    public String failure() {
        return up ? null : failure;
    }

    public String name() {
        return name;
    }

    /** How often the body failed and was started again. */
    public int restarts() {
        return restarts.get();
    }

    private void supervise() {
        int failures = 0;
        while (running) {
            try {
                body.run(this);
                failures = 0;
            } catch (Throwable e) {
                if (!running) {
                    break;
                }
                // A body that served before failing starts the backoff over; one that keeps failing backs off further.
                failures = up ? 1 : failures + 1;
                up = false;
                failure = e.toString();
                restarts.incrementAndGet();
                Duration wait = backoff.delay(failures);
                // An Error (not an Exception) is a bug or a resource problem: its stack trace is worth the noise.
                LOG.warnf(e instanceof Exception ? null : e, "%s failed, restarting in %d ms: %s", name, wait.toMillis(), e.toString());
                LockSupport.parkNanos(wait.toNanos());
            }
        }
        up = false;
        failure = "stopped";
    }
}
