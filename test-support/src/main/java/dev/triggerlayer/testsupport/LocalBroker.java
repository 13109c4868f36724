package dev.triggerlayer.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A Kafka broker alone in its own process, its data kept in a directory so that a restart (after
 * a kill) finds its topics, offsets and groups again: what {@link BrokerProcess} runs.
 *
 * <p>Arguments: {@code <data-dir> <port>}.
 */
public final class LocalBroker {

    private LocalBroker() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Integer.parseInt(args[1]), Path.of(args[0]).toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "stop-local-broker"));
        System.out.println("READY kafka=" + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
