package dev.triggerlayer.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded PostgreSQL and Kafka of the one-command local run, on fixed ports with their
 * data kept under one folder. Runs until the process is stopped.
 *
 * <p>Arguments: {@code <data-dir> <postgres-port> <kafka-port>}.
 */
public final class LocalServers {

    private LocalServers() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : ".local");
        int pgPort = args.length > 1 ? Integer.parseInt(args[1]) : 15432;
        int kafkaPort = args.length > 2 ? Integer.parseInt(args[2]) : 19092;
        Files.createDirectories(data);

        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(pgPort, data.resolve("postgres").toAbsolutePath());
        String jdbcUrl = postgres.createDatabase("triggerlayer");
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaPort, data.resolve("kafka").toAbsolutePath());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } finally {
                try {
                    postgres.close();
                } catch (Exception e) {
                    System.err.println("postgres did not stop cleanly: " + e);
                }
                stopped.countDown();
            }
        }, "stop-local-servers"));

        System.out.println("READY postgres=" + jdbcUrl + " kafka=" + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
