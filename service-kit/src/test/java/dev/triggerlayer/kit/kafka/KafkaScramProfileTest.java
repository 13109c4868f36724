package dev.triggerlayer.kit.kafka;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit's {@code kafka-scram} profile (the Kubernetes production overlay) turns the Strimzi
 * user's JAAS line and the cluster CA into client settings Kafka accepts; without the profile the
 * clients stay plaintext.
 */
class KafkaScramProfileTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"scheduler-service\" password=\"p\";";

    @Test
    void theProfileGivesEveryClientTlsAndScramFromTheDeploymentsVariables() throws Exception {
        Map<String, Object> kafka = kafkaSettings(config("kafka-scram"));
        kafka.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "triggerlayer-kafka-bootstrap:9093");
        kafka.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        kafka.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        // Kafka's own parsing: unknown values (a misspelt protocol or mechanism) fail here.
        ProducerConfig parsed = new ProducerConfig(kafka);
        assertEquals("SASL_SSL", parsed.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        assertEquals("SCRAM-SHA-512", parsed.getString(SaslConfigs.SASL_MECHANISM));
        assertEquals(new Password(JAAS), parsed.getPassword(SaslConfigs.SASL_JAAS_CONFIG));
        assertEquals("/etc/triggerlayer/kafka-ca/ca.p12", parsed.getString(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG));
        assertEquals("PKCS12", parsed.getString(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG));
        assertEquals(new Password("ca-secret"), parsed.getPassword(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG));
    }

    @Test
    void withoutTheProfileNothingChanges() throws Exception {
        assertTrue(kafkaSettings(config("prod")).isEmpty());
    }

    private static SmallRyeConfig config(String profile) throws Exception {
        URL file = KafkaSettings.class.getClassLoader().getResource("META-INF/microprofile-config.properties");
        return new SmallRyeConfigBuilder().withProfile(profile).withSources(new PropertiesConfigSource(file, 100))
                .withDefaultValue("KAFKA_SASL_JAAS_CONFIG", JAAS).withDefaultValue("KAFKA_CA_PASSWORD", "ca-secret").build();
    }

    private static Map<String, Object> kafkaSettings(SmallRyeConfig config) {
        Map<String, Object> out = new HashMap<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false).filter(n -> n.startsWith("kafka."))
                .forEach(n -> out.put(n.substring("kafka.".length()), config.getValue(n, String.class)));
        return out;
    }
}
