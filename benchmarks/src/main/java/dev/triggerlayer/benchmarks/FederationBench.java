package dev.triggerlayer.benchmarks;

import dev.triggerlayer.gateway.signature.TestSigner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Federation (docs/federation.md): the round trip of a signed trigger sent to the home region's
 * gateway (the baseline) and to the other region's, which goes there and back through MirrorMaker
 * 2, interleaved one by one in the same run; and the lag MirrorMaker 2 adds to one record, from
 * the other region's {@code federation.trigger-commands} to its copy in the home region (records
 * naming a home region that does not exist, so no scheduler applies them).
 *
 * <p>Arguments: home gateway URL, other gateway URL, AccessKey id, secret, task id, trigger time,
 * samples, home bootstrap, other bootstrap, other region id, output JSON.
 */
public final class FederationBench {

    private FederationBench() {
    }

    public static void main(String[] a) throws Exception {
        String home = a[0], other = a[1], ak = a[2], sk = a[3], taskId = a[4], triggerTime = a[5];
        int samples = Integer.parseInt(a[6]);
        String homeKafka = a[7], otherKafka = a[8], otherRegion = a[9];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        for (int i = 0; i < 50; i++) {
            roundTrip(http, home, ak, sk, taskId, triggerTime);
            roundTrip(http, other, ak, sk, taskId, triggerTime);
        }
        long[] viaHome = new long[samples], viaOther = new long[samples];
        for (int i = 0; i < samples; i++) {
            viaHome[i] = roundTrip(http, home, ak, sk, taskId, triggerTime);
            viaOther[i] = roundTrip(http, other, ak, sk, taskId, triggerTime);
        }
        long[] lag = replicationLag(otherKafka, homeKafka, otherRegion, samples);
        String out = String.format(Locale.ROOT, "{\"samples\":%d,\"home\":%s,\"other\":%s,\"replicationLag\":%s}%n", samples,
                stats(viaHome), stats(viaOther), stats(lag));
        System.out.printf(Locale.ROOT, "%-44s %9s %9s%n", "signed trigger round trip (%d each, interleaved)".formatted(samples), "p50 ms", "p99 ms");
        System.out.printf(Locale.ROOT, "%-44s %9.2f %9.2f%n", "to the home region's gateway", p(viaHome, 0.5), p(viaHome, 0.99));
        System.out.printf(Locale.ROOT, "%-44s %9.2f %9.2f%n", "to the other region's gateway", p(viaOther, 0.5), p(viaOther, 0.99));
        System.out.printf(Locale.ROOT, "%-44s %9.2f %9.2f%n", "MirrorMaker 2 lag, one record, other -> home", p(lag, 0.5), p(lag, 0.99));
        Files.writeString(Path.of(a[10]), out);
    }

    /** One signed TriggerSchedulerTaskInstance, answered through Kafka and the scheduler; nanoseconds. */
    private static long roundTrip(HttpClient http, String gateway, String ak, String sk, String taskId, String triggerTime) throws Exception {
        DateTimeFormatter ts = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
        Map<String, String> p = new HashMap<>(Map.of("Action", "TriggerSchedulerTaskInstance", "Version", "2024-05-18",
                "Format", "JSON", "SignatureMethod", "HMAC-SHA1", "SignatureVersion", "1.0",
                "SignatureNonce", UUID.randomUUID().toString(), "AccessKeyId", ak, "Timestamp", ts.format(Instant.now()),
                "TaskId", taskId, "EnvType", "Prod"));
        p.put("TriggerTime", triggerTime);
        URI uri = URI.create(gateway + "/?" + TestSigner.v1Query(p, sk));
        long sent = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - sent;
        if (r.statusCode() != 200 || !r.body().contains("\"Success\":true")) {
            throw new IllegalStateException(gateway + " answered " + r.statusCode() + " " + r.body());
        }
        return took;
    }

    /** Records written one by one (every 20 ms) to the other region, timed until their copy is read in the home region. */
    private static long[] replicationLag(String from, String to, String fromRegion, int samples) throws Exception {
        String source = "federation.trigger-commands", copy = fromRegion + "." + source;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] lag = new long[samples];
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", to, "enable.auto.commit", false),
                new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", from, "acks", "all", "linger.ms", 0),
                     new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(copy, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(copy, pi.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int next = 0;
            long nextSend = System.nanoTime();
            while (seen < samples && System.nanoTime() < deadline) {
                if (next < samples && System.nanoTime() >= nextSend) {
                    String id = "bench-" + UUID.randomUUID();
                    // A home region no scheduler has: the copy is read here and applied nowhere.
                    String value = "{\"commandId\":\"" + UUID.randomUUID() + "\",\"env\":\"Prod\",\"action\":\"TriggerSchedulerTaskInstance\","
                            + "\"taskId\":0,\"triggerTime\":0,\"homeRegion\":\"benchmark-nowhere\",\"originRegion\":\"" + fromRegion + "\"}";
                    producer.send(new ProducerRecord<>(source, id, value)).get();
                    sentAt.put(id, System.nanoTime());
                    next++;
                    nextSend = System.nanoTime() + Duration.ofMillis(20).toNanos();
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
                    Long at = sentAt.remove(r.key());
                    if (at != null && seen < samples) {
                        lag[seen++] = System.nanoTime() - at;
                    }
                }
            }
            if (seen < samples) {
                throw new IllegalStateException("only " + seen + " of " + samples + " records were copied within 120 s");
            }
        }
        return lag;
    }

    private static double p(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    private static String stats(long[] values) {
        return String.format(Locale.ROOT, "{\"p50ms\":%.3f,\"p99ms\":%.3f}", p(values, 0.5), p(values, 0.99));
    }
}
