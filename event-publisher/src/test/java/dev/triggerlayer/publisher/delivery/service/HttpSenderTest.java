package dev.triggerlayer.publisher.delivery.service;

import com.sun.net.httpserver.HttpServer;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect-time half of the outbound-URL check, against a real local HTTP server: the sender
 * resolves the name again before connecting, refuses a name that now points at a private address
 * (DNS rebinding), and connects to exactly the address it checked, with the name as Host.
 */
class HttpSenderTest {

    private HttpServer server;
    private Vertx vertx;
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    /** What the test's DNS answers for every name, changed between calls. */
    private final AtomicReference<String> dns = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        vertx.closeAndAwait();
    }

    @Test
    void aNameThatResolvesToAPrivateAddressAtDeliveryIsRefusedWithoutConnecting() {
        HttpSender sender = sender(List.of());
        String url = "http://hooks.rebind.test:" + server.getAddress().getPort() + "/hook";

        dns.set("93.184.216.34"); // public when the subscription is created
        sender.urls().checkIfResolvable(URI.create(url));

        dns.set("127.0.0.1"); // and loopback by the time of the delivery
        DeliveryFailure refused = assertThrows(DeliveryFailure.class, () -> post(sender, url));
        assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
        assertEquals(List.of(), hosts, "no connection was made");
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWithTheNameAsHost() {
        HttpSender sender = sender(List.of("127.0.0.1/32"));
        dns.set("127.0.0.1");
        int port = server.getAddress().getPort();
        post(sender, "http://hooks.allowed.test:" + port + "/hook");
        assertEquals(List.of("hooks.allowed.test:" + port), hosts);
    }

    @Test
    void everySpellingOfLoopbackPrivateAndMetadataAddressesIsRefused() {
        HttpSender sender = new HttpSender(vertx, EventDeliveryTest.TestConfig.publisher(1, Duration.ofMillis(5), Duration.ofMillis(5)),
                InetAddress::getAllByName);
        for (String target : List.of("http://127.0.0.2:" + server.getAddress().getPort() + "/hook", "http://[::1]/", "http://[::ffff:127.0.0.2]/",
                "http://2130706434/", "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.0.1/",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/")) {
            DeliveryFailure refused = assertThrows(DeliveryFailure.class, () -> post(sender, target), target);
            assertTrue(refused.getMessage().startsWith("target refused"), target + ": " + refused.getMessage());
        }
        assertEquals(List.of(), hosts);
    }

    private HttpSender sender(List<String> allowed) {
        var base = EventDeliveryTest.TestConfig.publisher(1, Duration.ofMillis(5), Duration.ofMillis(5), allowed);
        return new HttpSender(vertx, base, host -> new InetAddress[] {InetAddress.getByName(dns.get())});
    }

    private static void post(HttpSender sender, String url) {
        sender.post(url, "{}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of()).await().atMost(Duration.ofSeconds(10));
    }
}
