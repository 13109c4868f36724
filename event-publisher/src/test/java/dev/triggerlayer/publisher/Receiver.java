package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A subscriber's HTTP endpoint, started by a test on a free port. It can refuse the first N
 * requests, refuse every n-th one, refuse everything, or answer slowly, and keeps what it got.
 */
public final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received, and the status it was answered with. */
    public record Request(Map<String, String> headers, byte[] body, int status) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String eventId() {
            return header("X-Triggerlayer-Event-Id");
        }

        public boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger refuseFirst = new AtomicInteger();
    private volatile IntPredicate refuse = n -> false;
    /** When set, every request waits here until the test releases it (a stuck endpoint). */
    private volatile java.util.concurrent.CountDownLatch held;

    private Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static Receiver start() {
        try {
            return new Receiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** Answers 503 to the next {@code n} requests. */
    public Receiver refuseFirst(int n) {
        refuseFirst.set(n);
        return this;
    }

    /** Answers 503 to every request for which the predicate holds (it gets the request's number, from 1). */
    public Receiver refuseWhen(IntPredicate predicate) {
        refuse = predicate;
        return this;
    }

    public Receiver refuseAll() {
        return refuseWhen(n -> true);
    }

    public Receiver acceptAll() {
        refuseFirst.set(0);
        return refuseWhen(n -> false);
    }

    /** Makes the endpoint hang on every request until {@link #release()} (or 60 s). */
    public Receiver hold() {
        this.held = new java.util.concurrent.CountDownLatch(1);
        return this;
    }

    public void release() {
        java.util.concurrent.CountDownLatch latch = held;
        if (latch != null) {
            latch.countDown();
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> accepted() {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.accepted()) {
                out.add(r);
            }
        }
        return out;
    }

    public List<Request> requestsFor(String eventId) {
        return requests.stream().filter(r -> eventId.equals(r.eventId())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            java.util.concurrent.CountDownLatch latch = held;
            if (latch != null) {
                try {
                    latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = counter.incrementAndGet();
            boolean refused = refuseFirst.getAndUpdate(left -> Math.max(0, left - 1)) > 0 || refuse.test(n);
            int status = refused ? 503 : 204;
            requests.add(new Request(headers, body, status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
