package dev.triggerlayer.kit.loop;

import dev.triggerlayer.kit.health.LoopsReadiness;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injected failures: the loop restarts its body, and readiness is DOWN exactly while it does not serve. */
class SupervisedLoopTest {

    @Test
    void aFailingBodyIsRestartedAndReadinessIsDownUntilItServesAgain() throws Exception {
        Semaphore failNow = new Semaphore(0);
        Semaphore mayServe = new Semaphore(0);
        CountDownLatch serving = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        SupervisedLoop loop = new SupervisedLoop("test-loop-a", new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)), l -> {
            runs.incrementAndGet();
            assertTrue(mayServe.tryAcquire(10, TimeUnit.SECONDS), "the test lets the body serve");
            l.up();
            serving.countDown();
            while (l.running()) {
                if (failNow.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("injected failure");
                }
            }
        }).start();
        try {
            assertEquals(HealthCheckResponse.Status.DOWN, readiness(), "not serving yet");
            mayServe.release();
            awaitState(loop, null);
            assertEquals(HealthCheckResponse.Status.UP, readiness());

            failNow.release(); // the body throws; it is restarted, and waits before serving again
            awaitState(loop, "java.lang.IllegalStateException: injected failure");
            assertEquals(HealthCheckResponse.Status.DOWN, readiness());
            assertEquals(1, loop.restarts());

            mayServe.release();
            assertTrue(serving.await(10, TimeUnit.SECONDS));
            awaitState(loop, null);
            assertEquals(HealthCheckResponse.Status.UP, readiness());
            assertEquals(2, runs.get());
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertTrue(SupervisedLoop.all().values().stream().noneMatch(l -> l.name().equals("test-loop-a")), "a stopped loop is not listed");
    }

    @Test
    void errorsAreSupervisedToo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        SupervisedLoop loop = new SupervisedLoop("test-loop-b", new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), l -> {
            if (runs.incrementAndGet() < 3) {
                throw new AssertionError("an Error, not an Exception");
            }
            l.up();
            while (l.running()) {
                Thread.onSpinWait();
            }
        }).start();
        try {
            awaitState(loop, null);
            assertEquals(2, loop.restarts());
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
        assertEquals("stopped", loop.failure());
    }

    private static HealthCheckResponse.Status readiness() {
        return new LoopsReadiness().call().getStatus();
    }

    /** Waits (bounded) until the loop's failure is {@code expected} (null: serving). */
    private static void awaitState(SupervisedLoop loop, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String f = loop.failure();
            if (expected == null ? f == null : expected.equals(f)) {
                return;
            }
            Thread.onSpinWait();
        }
        if (expected == null) {
            assertNull(loop.failure());
        } else {
            assertEquals(expected, loop.failure());
        }
    }
}
