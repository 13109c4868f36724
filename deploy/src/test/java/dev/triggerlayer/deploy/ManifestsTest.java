package dev.triggerlayer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triggerlayer.deploy.Network.Endpoint;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2ClusterSpec;
import io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2MirrorSpec;
import io.strimzi.api.kafka.model.common.authentication.KafkaClientAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every overlay under deploy/kubernetes, rendered by kustomize as a user applies it: typed models
 * with no unknown field, and the cross-checks of deploy/README.md ("What the test checks")
 * against the services' own configuration and contracts/topics.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestsTest {

    static final String PART_OF = "app.kubernetes.io/part-of";
    static final List<String> OVERLAYS = List.of("production", "edge", "local", "region", "production-federated");
    /** The two regions of the federation (docs/federation.md): each overlay's peer, whose MirrorMaker 2 reads it. */
    static final Map<String, String> FEDERATION_PEER = Map.of("region", "production-federated", "production-federated", "region");

    /** apiVersion/kind → the typed model it must parse into. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaMirrorMaker2", KafkaMirrorMaker2.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", CnpgCluster.class));

    final Map<String, Rendered> rendered = new HashMap<>();

    /** One overlay's resources as typed objects, by kind. */
    record Rendered(String name, Overlay overlay, Map<String, List<Object>> byKind) {
        <T> List<T> all(Class<T> type) {
            return byKind.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
        }

        String namespace() {
            return overlay.resources.get(0).path("metadata").path("namespace").asText();
        }
    }

    @BeforeAll
    void render() throws Exception {
        for (String name : OVERLAYS) {
            Overlay overlay = Overlay.render("overlays/" + name);
            Map<String, List<Object>> byKind = new LinkedHashMap<>();
            for (JsonNode doc : overlay.resources) {
                String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<?> model = MODELS.get(key);
                assertNotNull(model, name + ": no typed model for " + key + " (" + doc.path("metadata").path("name").asText() + ")");
                Object typed = Overlay.YAML.treeToValue(doc, model);
                byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(typed);
            }
            rendered.put(name, new Rendered(name, overlay, byKind));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "edge", "local", "region", "production-federated"})
    void everyManifestParsesIntoItsTypedModelWithNoUnknownField(String overlay) {
        Rendered r = rendered.get(overlay);
        List<String> unknown = new ArrayList<>();
        r.byKind.forEach((kind, objects) -> objects.forEach(o -> unknownFields(o, kind, unknown, 0)));
        assertEquals(List.of(), unknown, overlay + ": fields the models do not know");
        assertFalse(r.all(Deployment.class).isEmpty());
        r.overlay.resources.forEach(doc -> assertEquals(r.namespace(), doc.path("metadata").path("namespace").asText(),
                "every resource in the overlay's namespace: " + doc.path("metadata").path("name").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "edge", "local", "region", "production-federated"})
    void eachDeploymentMatchesItsServiceConfiguration(String overlay) {
        Rendered r = rendered.get(overlay);
        String group = pomProperty("quarkus.container-image.group");
        String tag = pomProperty("quarkus.container-image.tag");
        boolean local = overlay.equals("local");
        for (Deployment d : r.all(Deployment.class)) {
            if (local && isLocalServer(d)) {
                String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
                assertTrue(Set.of("localhost/triggerlayer/postgres:15", "localhost/triggerlayer/kafka:" + pomProperty("kafka.version")).contains(image)
                        && Overlay.read(Overlay.ROOT.resolve("deploy/images/build.sh")).contains(image.replaceAll(":.*", ":")),
                        "local/" + d.getMetadata().getName() + ": " + image + " is not an image deploy/images/build.sh makes");
                continue;
            }
            String service = serviceOf(d);
            ServiceConfig config = ServiceConfig.of(service);
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            String where = overlay + "/" + d.getMetadata().getName();
            assertEquals(1, pod.getContainers().size(), where);
            assertTrue(c.getImage().equals(group + "/" + service + ":" + tag) || c.getImage().equals(group + "/" + service + "-native:" + tag),
                    where + ": image " + c.getImage() + " is not the one the build makes");
            assertEquals("triggerlayer", d.getSpec().getTemplate().getMetadata().getLabels().get(PART_OF), where + ": pod label " + PART_OF);

            Map<String, String> env = env(r, c);
            if (!local) {
                portsAndProbes(config, c, env, where);
            }
            // Environment: every variable is one the service reads; every value it needs is given.
            Set<String> known = new LinkedHashSet<>(config.variables());
            known.addAll(ServiceConfig.QUARKUS_VARIABLES);
            for (EnvVar e : c.getEnv()) {
                assertTrue(known.contains(e.getName()), where + ": " + e.getName() + " is not read by " + service + "'s configuration");
            }
            Set<String> profiles = new LinkedHashSet<>(List.of(env.getOrDefault("QUARKUS_PROFILE", "prod").split(",")));
            Set<String> secretKeys = secretsFileKeys(r, pod, env, service);
            config.required(profiles).forEach((key, variable) -> assertTrue(env.containsKey(variable)
                            || secretKeys.contains(key) || secretKeys.contains(variable),
                    where + ": nothing gives " + key + " (${" + variable + "}): not in the environment nor in the secrets file's keys"));

            // Restricted: no root, no writable root file system, no capabilities (the script runner's exceptions are its own).
            var sc = c.getSecurityContext();
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where);
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where);
            assertTrue(sc.getCapabilities().getDrop().contains("ALL"), where);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where);
            if (d.getMetadata().getName().equals("scheduler-runner")) {
                assertEquals(Set.of("SETUID", "SETGID", "CHOWN", "FOWNER"), Set.copyOf(sc.getCapabilities().getAdd()),
                        "the script runner keeps only what setpriv and its run directories need");
                assertEquals("true", env.get("SCHEDULER_SHELL_ENABLED"), where);
            } else {
                assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where);
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), where);
                if (service.equals("scheduler-service") && overlay.startsWith("production")) {
                    assertEquals("false", env.get("SCHEDULER_SHELL_ENABLED"), "the control plane runs no script");
                }
            }
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), where + ": no API token in the pod");
            assertNotNull(c.getResources().getRequests().get("memory"), where);
            assertNotNull(c.getResources().getLimits().get("memory"), where);
        }
        // Each Service's named target ports exist on the pods it selects (on the host's network, local pods declare none).
        for (Service s : local ? List.<Service>of() : r.all(Service.class)) {
            List<Deployment> selected = r.all(Deployment.class).stream()
                    .filter(d -> s.getSpec().getSelector().entrySet().stream()
                            .allMatch(e -> e.getValue().equals(d.getSpec().getTemplate().getMetadata().getLabels().get(e.getKey()))))
                    .toList();
            assertFalse(selected.isEmpty(), overlay + ": Service " + s.getMetadata().getName() + " selects no pod");
            for (var port : s.getSpec().getPorts()) {
                for (Deployment d : selected) {
                    int target = d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                            .filter(p -> p.getName().equals(port.getTargetPort().getStrVal()))
                            .mapToInt(ContainerPort::getContainerPort).findFirst()
                            .orElseThrow(() -> new AssertionError(s.getMetadata().getName() + ": no port " + port.getTargetPort()));
                    assertEquals(port.getPort(), target, overlay + ": Service " + s.getMetadata().getName() + " keeps the container's port numbers");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "edge", "local", "region", "production-federated"})
    void everyReferencedSecretAndConfigMapExists(String overlay) {
        Rendered r = rendered.get(overlay);
        Set<String> secrets = r.all(Secret.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        // Made by the operators: Strimzi's user operator (one per KafkaUser) and cluster CA.
        r.all(KafkaUser.class).forEach(u -> secrets.add(u.getMetadata().getName()));
        r.all(Kafka.class).forEach(k -> secrets.add(k.getMetadata().getName() + "-cluster-ca-cert"));
        Map<String, ConfigMap> configMaps = r.all(ConfigMap.class).stream().collect(Collectors.toMap(m -> m.getMetadata().getName(), m -> m));
        for (Deployment d : r.all(Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            String where = overlay + "/" + d.getMetadata().getName();
            for (EnvVar e : pod.getContainers().get(0).getEnv()) {
                if (e.getValueFrom() == null) {
                    continue;
                }
                if (e.getValueFrom().getSecretKeyRef() != null) {
                    assertTrue(secrets.contains(e.getValueFrom().getSecretKeyRef().getName()), where + ": Secret " + e.getValueFrom().getSecretKeyRef().getName());
                }
                if (e.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = e.getValueFrom().getConfigMapKeyRef();
                    assertTrue(configMaps.containsKey(ref.getName()), where + ": ConfigMap " + ref.getName());
                    assertTrue(configMaps.get(ref.getName()).getData().containsKey(ref.getKey()), where + ": ConfigMap key " + ref.getKey());
                }
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getSecret() != null) {
                    assertTrue(secrets.contains(v.getSecret().getSecretName()), where + ": Secret volume " + v.getSecret().getSecretName());
                }
                if (v.getConfigMap() != null) {
                    assertTrue(configMaps.containsKey(v.getConfigMap().getName()), where + ": ConfigMap volume " + v.getConfigMap().getName());
                }
            }
            if (!isLocalServer(d)) {
                assertTrue(r.all(ServiceAccount.class).stream().anyMatch(a -> a.getMetadata().getName().equals(pod.getServiceAccountName())), where);
            }
        }
        for (CnpgCluster db : r.all(CnpgCluster.class)) {
            db.spec().managed().roles().forEach(role -> assertTrue(secrets.contains(role.passwordSecret().name()), "role " + role.name()));
        }
        // Key rings and tokens never in a ConfigMap.
        Pattern secretish = Pattern.compile("(?i)(password|secret|token|key)");
        configMaps.values().forEach(m -> m.getData().forEach((k, v) -> assertFalse(secretish.matcher(k).find() && !k.endsWith(".json"),
                overlay + ": ConfigMap " + m.getMetadata().getName() + " holds " + k)));
        // Nor in a settings file a ConfigMap holds (the federation's): a token there is a key of the secrets file.
        Pattern secretSetting = Pattern.compile("(?i)((^|[.-])(secret|password|token|jaas\\.config)$|\\.keys\\.)");
        configMaps.values().forEach(m -> m.getData().forEach((k, v) -> {
            if (k.endsWith(".properties")) {
                properties(v).keySet().forEach(setting -> assertFalse(secretSetting.matcher(setting).find(),
                        overlay + ": ConfigMap " + m.getMetadata().getName() + " sets " + setting + " (a secret: the secrets file's)"));
            }
        }));
        // Secrets are placeholders here, never their values (deploy/README.md).
        for (Secret secret : r.all(Secret.class)) {
            assertTrue((secret.getData() == null || secret.getData().isEmpty()) && (secret.getStringData() == null || secret.getStringData().isEmpty()),
                    overlay + ": Secret " + secret.getMetadata().getName() + " holds values");
        }
        // MirrorMaker 2: every certificate and password by reference to a Secret that exists (or Strimzi makes), none in its configuration.
        for (KafkaMirrorMaker2 mm : r.all(KafkaMirrorMaker2.class)) {
            for (KafkaMirrorMaker2ClusterSpec c : mm.getSpec().getClusters()) {
                String where = overlay + "/" + mm.getMetadata().getName() + "/" + c.getAlias();
                assertNotNull(c.getTls(), where + ": TLS");
                assertFalse(c.getTls().getTrustedCertificates().isEmpty(), where + ": a trusted CA");
                c.getTls().getTrustedCertificates().forEach(ca -> assertTrue(secrets.contains(ca.getSecretName()), where + ": CA Secret " + ca.getSecretName()));
                assertTrue(c.getAuthentication() instanceof KafkaClientAuthenticationScramSha512, where + ": SCRAM-SHA-512");
                var scram = (KafkaClientAuthenticationScramSha512) c.getAuthentication();
                assertNotNull(scram.getPasswordSecret(), where + ": the password by reference");
                assertTrue(secrets.contains(scram.getPasswordSecret().getSecretName()), where + ": Secret " + scram.getPasswordSecret().getSecretName());
                (c.getConfig() == null ? Map.<String, Object>of() : c.getConfig()).keySet().forEach(k -> assertFalse(secretSetting.matcher(k).find() || k.contains("password"),
                        where + ": " + k + " in the configuration"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "production-federated", "region"})
    void everyTopicHasAKafkaTopicWithItsDeclaredSettings(String overlay) throws Exception {
        Rendered r = rendered.get(overlay);
        String cluster = r.all(Kafka.class).get(0).getMetadata().getName();
        Set<String> deployed = deployedServices(r);
        Map<String, KafkaTopic> byTopic = r.all(KafkaTopic.class).stream().collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
        Set<String> declared = new TreeSet<>();
        for (JsonNode t : topics().path("topics")) {
            String name = t.path("name").asText();
            if (!deployed.contains(t.path("owner").asText()) || localTriggerPathWithoutScheduler(t, deployed)) {
                continue;
            }
            declared.add(name);
            KafkaTopic kt = byTopic.get(name);
            assertNotNull(kt, overlay + ": no KafkaTopic for " + name);
            assertEquals(cluster, kt.getMetadata().getLabels().get("strimzi.io/cluster"), name);
            assertEquals(t.path("partitions").asInt(), kt.getSpec().getPartitions(), name + " partitions");
            assertEquals(3, kt.getSpec().getReplicas(), name + " replicas");
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("cleanup.policy", t.path("cleanupPolicy").asText());
            t.path("config").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
            Map<String, String> actual = new LinkedHashMap<>();
            kt.getSpec().getConfig().forEach((k, v) -> actual.put(k, String.valueOf(v)));
            assertEquals(expected, new LinkedHashMap<>(actual), name + " config");
        }
        assertEquals(declared, new TreeSet<>(byTopic.keySet()), overlay + ": a KafkaTopic for exactly the declared topics its services own");
        assertEquals("false", String.valueOf(r.all(Kafka.class).get(0).getSpec().getKafka().getConfig().get("auto.create.topics.enable")),
                "topics are made by their owners and the topic operator only");
    }

    /**
     * In a region where no tenant is homed (no scheduler runs: overlays/region), the gateway sends
     * every command through federation.trigger-commands; the local trigger path, read by the
     * scheduler alone, has neither topic nor ACL there, so that a misrouted command fails at once.
     * (The gateway's AccessKey usage is written on every request, so its topic stays.)
     */
    private static boolean localTriggerPathWithoutScheduler(JsonNode topic, Set<String> deployed) {
        List<String> readers = new ArrayList<>();
        topic.path("readers").forEach(x -> readers.add(x.asText()));
        // A federated topic's reader is the scheduler of another region (through its copy there).
        return !deployed.contains("scheduler-service") && readers.equals(List.of("scheduler-service"))
                && !"every-region".equals(topic.path("federation").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "production-federated", "region"})
    void everyServiceHasAKafkaUserWhoseAclsCoverExactlyItsTopicsAndGroups(String overlay) throws Exception {
        Rendered r = rendered.get(overlay);
        Map<String, KafkaUser> users = r.all(KafkaUser.class).stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        Set<String> deployed = deployedServices(r);
        Set<String> local = r.all(KafkaTopic.class).stream().map(t -> t.getSpec().getTopicName()).collect(Collectors.toSet());
        // The copies this region holds: <peer alias>.<topic> for each federated topic the peer region has.
        Map<String, Set<String>> copies = new LinkedHashMap<>();
        if (FEDERATION_PEER.containsKey(overlay)) {
            Rendered peer = rendered.get(FEDERATION_PEER.get(overlay));
            copies.put(mirror(r).getSourceCluster(), peer.all(KafkaTopic.class).stream().map(t -> t.getSpec().getTopicName()).collect(Collectors.toSet()));
        }
        Set<String> expectedUsers = new TreeSet<>(deployed);
        expectedUsers.addAll(mirrorMakerUsers(overlay).keySet());
        assertEquals(expectedUsers, new TreeSet<>(users.keySet()), overlay + ": one KafkaUser per service (and MirrorMaker 2's)");
        JsonNode topics = topics();
        for (String service : deployed) {
            Set<String> expected = new TreeSet<>();
            for (JsonNode t : topics.path("topics")) {
                String name = t.path("name").asText();
                if (t.path("owner").asText().equals(service) && local.contains(name)) {
                    expected.add("topic:" + name + ":literal:" + List.of("CREATE", "DESCRIBE", "DESCRIBECONFIGS", "WRITE"));
                }
                for (JsonNode reader : t.path("readers")) {
                    // "readFrom": "copies": its readers read only the other regions' copies, never the local topic.
                    if (reader.asText().equals(service) && local.contains(name) && !t.path("readFrom").asText().equals("copies")) {
                        expected.add("topic:" + name + ":literal:" + List.of("DESCRIBE", "READ"));
                    }
                    // A reader of the copy ("scheduler-service of the tenant's home region, as <origin region>.…"): by its full name, per region.
                    boolean readsCopies = reader.asText().equals(service) || reader.asText().startsWith(service + " ");
                    if (readsCopies && t.path("federation").asText().equals("every-region")) {
                        copies.forEach((alias, peerTopics) -> {
                            if (peerTopics.contains(name)) {
                                expected.add("topic:" + alias + "." + name + ":literal:" + List.of("DESCRIBE", "READ"));
                            }
                        });
                    }
                }
            }
            for (JsonNode t : topics.path("tenantTopics")) {
                if (t.path("owner").asText().equals(service)) {
                    // Tenant buses, DLQs and Kafka targets are made on demand under one prefix; the publisher also reads its buses.
                    expected.add("topic:tenant.:prefix:" + List.of("CREATE", "DESCRIBE", "DESCRIBECONFIGS", "READ", "WRITE"));
                }
            }
            ServiceConfig config = ServiceConfig.of(service);
            for (String groupList : new String[]{config.value("triggerlayer.metrics.consumer-groups")}) {
                if (groupList != null && !groupList.isBlank()) {
                    for (String g : groupList.split(",")) {
                        expected.add("group:" + g.trim() + ":literal:" + List.of("DESCRIBE", "READ"));
                    }
                }
            }
            String prefixes = config.value("triggerlayer.metrics.consumer-group-prefixes");
            if (prefixes != null && !prefixes.isBlank()) {
                for (String g : prefixes.split(",")) {
                    expected.add("group:" + g.trim() + ":prefix:" + List.of("DESCRIBE", "READ"));
                }
            }
            KafkaUser user = users.get(service);
            assertEquals("scram-sha-512", user.getSpec().getAuthentication().getType(), service);
            assertEquals(expected, acls(user), overlay + ": " + service + "'s ACLs");
        }
        mirrorMakerUsers(overlay).forEach((name, expected) -> {
            assertEquals("scram-sha-512", users.get(name).getSpec().getAuthentication().getType(), name);
            assertEquals(expected, acls(users.get(name)), overlay + ": " + name + "'s ACLs");
        });
    }

    /**
     * The KafkaUsers MirrorMaker 2 needs in an overlay, with their ACLs: this region's MirrorMaker
     * (its Connect cluster's group and topics, and the copies under its source's prefix, which it
     * creates and keeps in step with their source), and the peer region's, which reads this
     * region's federated topics and writes nothing here (no offset syncs).
     */
    private Map<String, Set<String>> mirrorMakerUsers(String overlay) throws Exception {
        Map<String, Set<String>> out = new TreeMap<>();
        if (!FEDERATION_PEER.containsKey(overlay)) {
            return out;
        }
        Rendered r = rendered.get(overlay);
        KafkaMirrorMaker2 mm = r.all(KafkaMirrorMaker2.class).get(0);
        KafkaMirrorMaker2ClusterSpec connect = cluster(mm, mm.getSpec().getConnectCluster());
        Set<String> own = new TreeSet<>();
        own.add("group:" + connect.getConfig().get("group.id") + ":literal:" + List.of("DESCRIBE", "READ"));
        for (String internal : List.of("config.storage.topic", "offset.storage.topic", "status.storage.topic")) {
            own.add("topic:" + connect.getConfig().get(internal) + ":literal:" + List.of("CREATE", "DESCRIBE", "DESCRIBECONFIGS", "READ", "WRITE"));
        }
        own.add("topic:" + mirror(r).getSourceCluster() + ".:prefix:" + List.of("ALTER", "ALTERCONFIGS", "CREATE", "DESCRIBE", "DESCRIBECONFIGS", "WRITE"));
        out.put(username(connect), own);
        // The peer's MirrorMaker reads here as the user its cluster entry for this region names.
        KafkaMirrorMaker2 peer = rendered.get(FEDERATION_PEER.get(overlay)).all(KafkaMirrorMaker2.class).get(0);
        Set<String> local = r.all(KafkaTopic.class).stream().map(t -> t.getSpec().getTopicName()).collect(Collectors.toSet());
        Set<String> reads = new TreeSet<>();
        for (String t : federatedTopics()) {
            if (local.contains(t)) {
                reads.add("topic:" + t + ":literal:" + List.of("DESCRIBE", "DESCRIBECONFIGS", "READ"));
            }
        }
        out.put(username(cluster(peer, mm.getSpec().getConnectCluster())), reads);
        return out;
    }

    private static Set<String> acls(KafkaUser user) {
        Set<String> actual = new TreeSet<>();
        ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls().forEach(acl -> actual.add(
                acl.getResource().getType() + ":" + resourceName(acl.getResource()) + ":" + patternType(acl.getResource()) + ":"
                        + acl.getOperations().stream().map(o -> o.toString().toUpperCase()).sorted().toList()));
        return actual;
    }

    @ParameterizedTest
    @ValueSource(strings = {"region", "production-federated"})
    void mirrorMakerCopiesTheFederatedTopicsFromThePeerRegionIntoThisOne(String overlay) throws Exception {
        Rendered r = rendered.get(overlay);
        Rendered peer = rendered.get(FEDERATION_PEER.get(overlay));
        List<KafkaMirrorMaker2> all = r.all(KafkaMirrorMaker2.class);
        assertEquals(1, all.size(), overlay + ": one KafkaMirrorMaker2, the direction into this region");
        KafkaMirrorMaker2 mm = all.get(0);
        KafkaMirrorMaker2MirrorSpec m = mirror(r);
        String here = mm.getSpec().getConnectCluster();
        String there = peer.all(KafkaMirrorMaker2.class).get(0).getSpec().getConnectCluster();
        // Strimzi runs the connectors on the target's Connect cluster: this region's, named by its region id.
        assertEquals(here, m.getTargetCluster(), overlay + ": the mirror's target is the Connect cluster");
        assertEquals(there, m.getSourceCluster(), overlay + ": the mirror's source is the peer region");
        assertEquals(Set.of(here, there), mm.getSpec().getClusters().stream().map(KafkaMirrorMaker2ClusterSpec::getAlias).collect(Collectors.toSet()));
        Kafka kafka = r.all(Kafka.class).get(0);
        GenericKafkaListener internal = listener(kafka, "internal");
        assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap:" + internal.getPort(), cluster(mm, here).getBootstrapServers(),
                overlay + ": the Connect cluster is this region's brokers, on their TLS listener");
        assertTrue(cluster(mm, here).getTls().getTrustedCertificates().stream().allMatch(ca -> ca.getSecretName().equals(kafka.getMetadata().getName() + "-cluster-ca-cert")),
                overlay + ": this region's cluster CA");
        // The source is the peer's external listener, by the name its certificate carries.
        GenericKafkaListener external = listener(peer.all(Kafka.class).get(0), "loadbalancer");
        String[] source = cluster(mm, there).getBootstrapServers().split(":");
        assertEquals(external.getPort(), Integer.parseInt(source[1]), overlay + ": the peer's external listener");
        assertTrue(external.getConfiguration().getBootstrap().getAlternativeNames().contains(source[0]),
                overlay + ": " + source[0] + " is a name of the peer's external listener's certificate");
        assertTrue(external.isTls() && external.getAuth() instanceof io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512,
                overlay + ": the peer's external listener is TLS with SCRAM-SHA-512");
        // The allow-list: exactly the federated topics of contracts/topics.json, in every direction.
        String expected = federatedTopics().stream().map(t -> t.replace(".", "\\.")).collect(Collectors.joining("|"));
        assertEquals(expected, m.getTopicsPattern(), overlay + ": topicsPattern from contracts/topics.json");
        Pattern allow = Pattern.compile(m.getTopicsPattern());
        for (JsonNode t : topics().path("topics")) {
            assertEquals(t.path("federation").asText().equals("every-region"), allow.matcher(t.path("name").asText()).matches(), t.path("name").asText());
            assertFalse(allow.matcher(there + "." + t.path("name").asText()).matches(), "a copy is never copied again");
        }
        Map<String, Object> config = m.getSourceConnector().getConfig();
        assertEquals("org.apache.kafka.connect.mirror.DefaultReplicationPolicy", config.get("replication.policy.class"), "prefixed copies");
        assertEquals(".", config.get("replication.policy.separator"), "copies are named <region>.<topic>");
        assertEquals("false", String.valueOf(config.get("sync.topic.acls.enabled")), "each region's KafkaUsers say who reads the copies");
        assertEquals("false", String.valueOf(config.get("emit.offset-syncs.enabled")), "no offset syncs: nothing is written to the source");
        assertEquals("false", String.valueOf(config.get("heartbeats.replication.enabled")), "only the allow-list is copied");
        assertEquals(null, m.getCheckpointConnector(), "no checkpoints: no consumer group moves between regions");
        assertEquals(null, m.getHeartbeatConnector());
        assertEquals(1, mm.getSpec().getMirrors().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"region", "production-federated"})
    void theServicesFederationSettingsNameTheirRegionAndItsCopies(String overlay) throws Exception {
        Rendered r = rendered.get(overlay);
        KafkaMirrorMaker2MirrorSpec m = mirror(r);
        String region = m.getTargetCluster();
        Set<String> deployed = deployedServices(r);
        Set<String> homes = Set.of(m.getSourceCluster());
        Deployment gateway = deployment(r, "trigger-gateway");
        Map<String, String> g = settingsFiles(r, gateway);
        assertEquals(region, g.get("gateway.federation.region"), overlay + ": the gateway's region is its MirrorMaker's target");
        Set<String> secretKeys = secretsFileKeys(r, gateway.getSpec().getTemplate().getSpec(), env(r, gateway.getSpec().getTemplate().getSpec().getContainers().get(0)), "trigger-gateway");
        if (!deployed.contains("tenant-registry")) {
            // The registry and the node directory run in the home region: read their copies.
            String home = m.getSourceCluster();
            assertEquals(home + ".registry.changes", g.get("gateway.topics.registry-changes"), overlay + ": the registry feed's copy");
            assertEquals(home + ".scheduler.nodes", g.get("gateway.topics.nodes"), overlay + ": the node directory's copy");
            for (String peer : homes) {
                URI url = URI.create(g.get("gateway.federation.peers." + peer + ".scheduler-url"));
                assertEquals("https", url.getScheme(), overlay + ": the home region's scheduler over TLS");
                assertTrue(secretKeys.contains("gateway.federation.peers." + peer + ".scheduler-token"), overlay + ": the peer's token is in the secrets file");
            }
            Duration wait = Duration.parse("PT" + g.getOrDefault("gateway.federation.outcome-timeout", "30s").toUpperCase());
            Duration idle = Duration.parse("PT" + g.getOrDefault("quarkus.http.idle-timeout", ServiceConfig.of("trigger-gateway").value("quarkus.http.idle-timeout")).toUpperCase());
            assertTrue(idle.compareTo(wait) > 0, overlay + ": a request waiting " + wait + " for a federated outcome outlasts the idle timeout " + idle);
        } else {
            assertEquals(null, g.get("gateway.topics.registry-changes"), "the registry's region reads its own feed");
        }
        if (deployed.contains("scheduler-service")) {
            for (Deployment d : r.all(Deployment.class).stream().filter(d -> serviceOf(d).equals("scheduler-service")).toList()) {
                Map<String, String> sc = settingsFiles(r, d);
                assertEquals(region, sc.get("scheduler.federation.region"), overlay + "/" + d.getMetadata().getName() + ": the scheduler's region");
                Set<String> keys = secretsFileKeys(r, d.getSpec().getTemplate().getSpec(), env(r, d.getSpec().getTemplate().getSpec().getContainers().get(0)), "scheduler-service");
                // Each peer region's gateway queries here with a read-only token of its own.
                for (String peer : Set.of(m.getSourceCluster())) {
                    assertEquals("reader", sc.get("triggerlayer.operator.tokens.gateway-" + peer + ".roles"), overlay + ": " + peer + "'s gateway reads only");
                    assertTrue(keys.contains("triggerlayer.operator.tokens.gateway-" + peer + ".secret"), overlay + ": " + peer + "'s gateway token in the secrets file");
                }
            }
        }
        // The peer region's gateway reaches this scheduler's query API through this region's Ingress, and nothing else of it.
        for (Ingress ingress : r.all(Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    assertEquals("scheduler-service", path.getBackend().getService().getName());
                    assertEquals("/api/v1/instances", path.getPath(), "only the instance queries");
                }
                Rendered peer = rendered.get(FEDERATION_PEER.get(overlay));
                assertEquals("https://" + rule.getHost(), settingsFiles(peer, deployment(peer, "trigger-gateway"))
                        .get("gateway.federation.peers." + region + ".scheduler-url"), "the peer's gateway queries this Ingress");
            }
        }
    }

    @Test
    void everyKustomizationWorksWithKubectl120() throws Exception {
        // kubectl 1.20 (Debian's kubernetes-client) embeds kustomize 2.0.3: no components, no patches:, directories under bases:.
        Set<String> known = Set.of("apiVersion", "kind", "namespace", "namePrefix", "commonLabels", "commonAnnotations", "bases", "resources",
                "patchesStrategicMerge", "patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions", "images", "vars", "crds");
        java.nio.file.Path root = Overlay.ROOT.resolve("deploy/kubernetes");
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(root)) {
            files = walk.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertTrue(files.size() >= 10);
        for (java.nio.file.Path f : files) {
            JsonNode k = Overlay.YAML.readTree(f.toFile());
            String where = root.relativize(f).toString();
            k.fieldNames().forEachRemaining(field -> assertTrue(known.contains(field), where + ": " + field + " is unknown to kubectl 1.20"));
            assertEquals("Kustomization", k.path("kind").asText("Kustomization"), where);
            for (JsonNode res : k.path("resources")) {
                assertFalse(java.nio.file.Files.isDirectory(f.getParent().resolve(res.asText())), where + ": the directory " + res.asText() + " belongs under bases:");
            }
            for (JsonNode base : k.path("bases")) {
                assertTrue(java.nio.file.Files.isDirectory(f.getParent().resolve(base.asText())), where + ": " + base.asText());
            }
            for (JsonNode gen : k.path("configMapGenerator")) {
                gen.fieldNames().forEachRemaining(field -> assertTrue(Set.of("name", "behavior", "literals", "files", "env").contains(field), where + ": configMapGenerator." + field));
            }
        }
    }

    @Test
    void productionNetworkAllowsExactlyTheConnectionsTheServicesMake() {
        Rendered r = rendered.get("production");
        String ns = r.namespace();
        Kafka kafka = r.all(Kafka.class).get(0);
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        Endpoint broker = Endpoint.pod("broker", ns, Map.of("strimzi.io/cluster", kafka.getMetadata().getName(), "strimzi.io/kind", "Kafka"));
        Endpoint database = Endpoint.pod("database", ns, Map.of("cnpg.io/cluster", db.metadata().getName()));
        // Names the operators' Services give the servers.
        Map<String, Endpoint> operatorServices = Map.of(
                kafka.getMetadata().getName() + "-kafka-bootstrap", broker,
                db.metadata().getName() + "-rw", database);
        Map<Endpoint, Set<Integer>> servers = Map.of(broker, Set.of(listenerPort(kafka)), database, Set.of(5432, 8000));
        List<NetworkPolicy> policies = new ArrayList<>(r.all(NetworkPolicy.class));
        policies.add(strimziListenerPolicy(kafka, ns, broker));
        checkNetwork(r, new Network(ns, policies), operatorServices, servers, Map.of(database, List.of(
                new Peer(database, 5432), new Peer(database, 8000),
                new Peer(Endpoint.pod("cnpg-operator", "cnpg-system", Map.of()), 5432),
                new Peer(Endpoint.pod("cnpg-operator", "cnpg-system", Map.of()), 8000))));
    }

    @Test
    void regionNetworkAllowsExactlyTheConnectionsTheGatewayAndMirrorMakerMake() {
        Rendered r = rendered.get("region");
        String ns = r.namespace();
        Kafka kafka = r.all(Kafka.class).get(0);
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        Endpoint broker = Endpoint.pod("broker", ns, Map.of("strimzi.io/cluster", kafka.getMetadata().getName(), "strimzi.io/kind", "Kafka"));
        Endpoint database = Endpoint.pod("database", ns, Map.of("cnpg.io/cluster", db.metadata().getName()));
        // The home region's addresses (203.0.113.0/24 in the overlay): its ingress, its brokers' external listener, its MirrorMaker 2.
        Endpoint home = Endpoint.outside("home region", "203.0.113.30");
        Endpoint cnpg = Endpoint.pod("cnpg-operator", "cnpg-system", Map.of());
        Endpoint mm = mirrorMakerPods(r);
        List<NetworkPolicy> policies = new ArrayList<>(r.all(NetworkPolicy.class));
        policies.add(strimziListenerPolicy(kafka, ns, broker));
        policies.add(strimziConnectApiPolicy(ns, mm));
        Network net = new Network(ns, policies);
        checkNetwork(r, net,
                Map.of(kafka.getMetadata().getName() + "-kafka-bootstrap", broker, db.metadata().getName() + "-rw", database, "scheduler.cn-hangzhou.example.com", home),
                Map.of(broker, Set.of(9093, 9094), database, Set.of(5432, 8000), home, Set.of(443, 9094)),
                Map.of(database, List.of(new Peer(database, 5432), new Peer(database, 8000), new Peer(cnpg, 5432), new Peer(cnpg, 8000)),
                        broker, List.of(new Peer(home, 9094))));
        Endpoint gateway = Endpoint.pod("trigger-gateway", ns, deployment(r, "trigger-gateway").getSpec().getTemplate().getMetadata().getLabels());
        mirrorMakerReachesExactly(net, mm, candidates(broker, database, gateway, mm, home, 9094),
                Set.of(link(mm, dns(), 53), link(mm, broker, 9093), link(mm, mm, 8083), link(mm, home, 9094)), "region");
        assertTrue(net.allows(mm, broker, 9093), "the brokers' listener accepts MirrorMaker 2");
    }

    @Test
    void productionFederatedNetworkAddsExactlyMirrorMakerAndThePeerRegion() {
        Rendered r = rendered.get("production-federated");
        String ns = r.namespace();
        Kafka kafka = r.all(Kafka.class).get(0);
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        Endpoint broker = Endpoint.pod("broker", ns, Map.of("strimzi.io/cluster", kafka.getMetadata().getName(), "strimzi.io/kind", "Kafka"));
        Endpoint database = Endpoint.pod("database", ns, Map.of("cnpg.io/cluster", db.metadata().getName()));
        // The second region's addresses (192.0.2.0/24 in the overlay): its MirrorMaker 2 and gateway, its brokers' external listener.
        Endpoint second = Endpoint.outside("second region", "192.0.2.40");
        Endpoint cnpg = Endpoint.pod("cnpg-operator", "cnpg-system", Map.of());
        Endpoint ingressController = Endpoint.pod("ingress controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Endpoint scheduler = Endpoint.pod("scheduler-service", ns, deployment(r, "scheduler-service").getSpec().getTemplate().getMetadata().getLabels());
        Endpoint mm = mirrorMakerPods(r);
        List<NetworkPolicy> policies = new ArrayList<>(r.all(NetworkPolicy.class));
        policies.add(strimziListenerPolicy(kafka, ns, broker));
        policies.add(strimziConnectApiPolicy(ns, mm));
        Network net = new Network(ns, policies);
        checkNetwork(r, net,
                Map.of(kafka.getMetadata().getName() + "-kafka-bootstrap", broker, db.metadata().getName() + "-rw", database),
                Map.of(broker, Set.of(9093, 9094), database, Set.of(5432, 8000), second, Set.of(9094)),
                Map.of(database, List.of(new Peer(database, 5432), new Peer(database, 8000), new Peer(cnpg, 5432), new Peer(cnpg, 8000)),
                        broker, List.of(new Peer(second, 9094)),
                        // The second region's gateway queries the scheduler through the Ingress.
                        scheduler, List.of(new Peer(ingressController, 8081))));
        Endpoint gateway = Endpoint.pod("trigger-gateway", ns, deployment(r, "trigger-gateway").getSpec().getTemplate().getMetadata().getLabels());
        mirrorMakerReachesExactly(net, mm, candidates(broker, database, gateway, mm, second, 9094),
                Set.of(link(mm, dns(), 53), link(mm, broker, 9093), link(mm, mm, 8083), link(mm, second, 9094)), "production-federated");
    }

    private static Endpoint dns() {
        return Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"));
    }

    private static Map<Endpoint, Set<Integer>> candidates(Endpoint broker, Endpoint database, Endpoint gateway, Endpoint mm, Endpoint peer, int peerPort) {
        Map<Endpoint, Set<Integer>> out = new LinkedHashMap<>();
        out.put(dns(), Set.of(53));
        out.put(broker, Set.of(9093, 9094));
        out.put(database, Set.of(5432));
        out.put(gateway, Set.of(8080, 9080));
        out.put(mm, Set.of(8083));
        out.put(peer, Set.of(443, peerPort));
        out.put(Endpoint.outside("public host", "198.51.100.7"), Set.of(80, 443, 9094));
        out.put(Endpoint.outside("private host", "10.1.2.3"), Set.of(80, 443, 9094));
        out.put(Endpoint.outside("cloud metadata", "169.254.169.254"), Set.of(80));
        return out;
    }

    @Test
    void edgeNetworkAllowsExactlyTheConnectionsTheGatewayMakes() {
        Rendered r = rendered.get("edge");
        String ns = r.namespace();
        CnpgCluster db = r.all(CnpgCluster.class).get(0);
        Endpoint database = Endpoint.pod("database", ns, Map.of("cnpg.io/cluster", db.metadata().getName()));
        Endpoint regionBroker = Endpoint.outside("region broker", "203.0.113.20");
        Endpoint regionIngress = Endpoint.outside("region ingress", "203.0.113.30");
        checkNetwork(r, new Network(ns, r.all(NetworkPolicy.class)),
                Map.of(db.metadata().getName() + "-rw", database, "kafka.region.example.com", regionBroker, "scheduler.region.example.com", regionIngress),
                Map.of(database, Set.of(5432, 8000), regionBroker, Set.of(9093), regionIngress, Set.of(443)),
                Map.of(database, List.of(new Peer(Endpoint.pod("cnpg-operator", "cnpg-system", Map.of()), 5432),
                        new Peer(Endpoint.pod("cnpg-operator", "cnpg-system", Map.of()), 8000))));
    }

    @Test
    void monitoringScrapesEveryServiceAndTheDashboardShowsOnlyExportedMetrics() throws Exception {
        Rendered r = rendered.get("production");
        ServiceMonitor monitor = r.all(ServiceMonitor.class).get(0);
        for (Service s : r.all(Service.class)) {
            assertTrue(Network.selects(new io.fabric8.kubernetes.api.model.LabelSelector(null, monitor.getSpec().getSelector().getMatchLabels()),
                    s.getMetadata().getLabels()), "the ServiceMonitor selects " + s.getMetadata().getName());
            assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(monitor.getSpec().getEndpoints().get(0).getPort())),
                    s.getMetadata().getName() + " names its management port");
        }
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        ConfigMap dashboard = r.all(ConfigMap.class).stream().filter(m -> "1".equals(m.getMetadata().getLabels().get("grafana_dashboard"))).findFirst().orElseThrow();
        JsonNode json = Overlay.YAML.readTree(dashboard.getData().values().iterator().next());
        Set<String> exported = exportedMetrics();
        Pattern metric = Pattern.compile("\\b((?:triggerlayer|scheduler|publisher)_[a-z0-9_]+)");
        int queries = 0;
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    queries++;
                    assertTrue(exported.contains(m.group(1)), panel.path("title").asText() + ": " + m.group(1) + " is not a metric the services export " + exported);
                }
            }
        }
        assertTrue(queries >= 12, "the dashboard shows the platform's metrics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "edge", "local", "region", "production-federated"})
    void everyDeploymentHasADisruptionBudgetAndTheGatewayAndPublisherScale(String overlay) {
        Rendered r = rendered.get(overlay);
        for (Deployment d : r.all(Deployment.class).stream().filter(d -> !isLocalServer(d)).toList()) {
            assertTrue(r.all(PodDisruptionBudget.class).stream().anyMatch(p -> Network.selects(p.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())),
                    overlay + ": a PodDisruptionBudget for " + d.getMetadata().getName());
        }
        Set<String> scaled = r.all(HorizontalPodAutoscaler.class).stream().map(h -> h.getSpec().getScaleTargetRef().getName()).collect(Collectors.toSet());
        Set<String> expected = r.all(Deployment.class).stream().map(d -> d.getMetadata().getName())
                .filter(n -> n.equals("trigger-gateway") || n.equals("event-publisher")).collect(Collectors.toSet());
        assertEquals(expected, scaled, overlay + ": autoscaled");
    }

    /** The container listens where the configuration says, management apart, and is probed there. */
    private static void portsAndProbes(ServiceConfig config, Container c, Map<String, String> env, String where) {
        Map<String, Integer> ports = c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertEquals("true", config.value("quarkus.management.enabled"), config.service + " has a management interface");
        assertEquals(Integer.valueOf(env.getOrDefault("MANAGEMENT_PORT", config.value("quarkus.management.port"))), ports.get("management"), where);
        if (ports.containsKey("http")) {
            assertEquals(Integer.valueOf(env.getOrDefault("HTTP_PORT", config.value("quarkus.http.port"))), ports.get("http"), where);
        }
        for (var probe : Map.of("started", c.getStartupProbe(), "live", c.getLivenessProbe(), "ready", c.getReadinessProbe()).entrySet()) {
            Probe p = probe.getValue();
            assertNotNull(p, where + ": " + probe.getKey() + " probe");
            assertEquals("/q/health/" + probe.getKey(), p.getHttpGet().getPath(), where);
            assertEquals("management", p.getHttpGet().getPort().getStrVal(), where + ": probes on the management port");
        }
    }

    // --- the network check ---------------------------------------------------------------------------

    record Peer(Endpoint from, int port) { }

    /**
     * Every connection between the overlay's pods, its servers and the world, as the policies allow
     * it, against the connections the services' configuration makes (plus the public RPC port,
     * operators' admin APIs, monitoring, and {@code serverPeers}).
     */
    private void checkNetwork(Rendered r, Network net, Map<String, Endpoint> names, Map<Endpoint, Set<Integer>> servers, Map<Endpoint, List<Peer>> serverPeers) {
        String ns = r.namespace();
        Map<Endpoint, Set<Integer>> listens = new LinkedHashMap<>();
        Map<String, Endpoint> pods = new LinkedHashMap<>();
        Map<String, Endpoint> resolve = new HashMap<>(names);
        for (Deployment d : r.all(Deployment.class)) {
            Endpoint e = Endpoint.pod(d.getMetadata().getName(), ns, d.getSpec().getTemplate().getMetadata().getLabels());
            pods.put(d.getMetadata().getName(), e);
            listens.put(e, d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet()));
        }
        for (Service s : r.all(Service.class)) {
            pods.values().stream().filter(p -> s.getSpec().getSelector().entrySet().stream().allMatch(e -> e.getValue().equals(p.labels().get(e.getKey()))))
                    .findFirst().ifPresent(p -> resolve.put(s.getMetadata().getName(), p));
        }
        listens.putAll(servers);
        Endpoint operator = Endpoint.pod("operator toolbox", ns, Map.of("triggerlayer.dev/operator", "true"));
        Endpoint monitoring = Endpoint.pod("prometheus", "monitoring", Map.of());
        Endpoint dns = Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"));
        Endpoint otherPod = Endpoint.pod("another app", ns, Map.of("app", "other"));
        Endpoint otherNamespace = Endpoint.pod("another namespace", "elsewhere", Map.of());
        Endpoint publicHost = Endpoint.outside("public host", "198.51.100.7");
        Endpoint privateHost = Endpoint.outside("private host", "10.1.2.3");
        Endpoint metadataHost = Endpoint.outside("cloud metadata", "169.254.169.254");
        listens.put(dns, Set.of(53));
        listens.put(publicHost, Set.of(80, 443));
        listens.put(privateHost, Set.of(80, 443));
        listens.put(metadataHost, Set.of(80));
        listens.put(otherPod, Set.of(8080));
        List<Endpoint> everyone = new ArrayList<>(listens.keySet());
        everyone.addAll(List.of(operator, monitoring, otherNamespace));
        serverPeers.values().forEach(peers -> peers.forEach(p -> {
            if (!everyone.contains(p.from())) {
                everyone.add(p.from());
            }
        }));

        Set<String> expected = new TreeSet<>();
        for (Deployment d : r.all(Deployment.class)) {
            Endpoint self = pods.get(d.getMetadata().getName());
            Map<String, String> env = env(r, d.getSpec().getTemplate().getSpec().getContainers().get(0));
            expected.add(link(self, dns, 53));
            for (String server : env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "").split(",")) {
                String[] hp = server.trim().split(":");
                expected.add(link(self, target(resolve, hp[0]), Integer.parseInt(hp[1])));
            }
            URI jdbc = URI.create(env.get("DB_JDBC_URL").substring("jdbc:".length()));
            expected.add(link(self, target(resolve, jdbc.getHost()), jdbc.getPort()));
            List<String> schedulers = new ArrayList<>();
            if (env.containsKey("SCHEDULER_URL")) {
                schedulers.add(env.get("SCHEDULER_URL"));
            }
            // The federation's peers: each home region's scheduler, for queries on its tenants.
            settingsFiles(r, d).forEach((k, v) -> {
                if (k.matches("gateway\\.federation\\.peers\\.[^.]+\\.scheduler-url")) {
                    schedulers.add(v);
                }
            });
            for (String url : schedulers) {
                URI scheduler = URI.create(url);
                int port = scheduler.getPort() > 0 ? scheduler.getPort() : scheduler.getScheme().equals("https") ? 443 : 80;
                expected.add(link(self, target(resolve, scheduler.getHost()), port));
            }
            Map<String, Integer> ports = d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                    .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
            expected.add(link(monitoring, self, ports.get("management")));
            String service = serviceOf(d);
            if (ports.containsKey("http")) {
                if (service.equals("trigger-gateway")) {
                    // Public; the other services never call it (their egress says so).
                    everyone.stream().filter(e -> !pods.containsValue(e))
                            .forEach(e -> expected.add(link(e, self, ports.get("http"))));
                } else {
                    expected.add(link(operator, self, ports.get("http")));
                }
            }
            if (service.equals("event-publisher") || d.getMetadata().getName().equals("scheduler-runner")) {
                // HTTP subscribers, and scripts' downloads: public addresses only.
                expected.add(link(self, publicHost, 80));
                expected.add(link(self, publicHost, 443));
            }
        }
        serverPeers.forEach((server, peers) -> peers.forEach(p -> expected.add(link(p.from(), server, p.port()))));
        Set<Endpoint> ours = new LinkedHashSet<>(pods.values());
        ours.addAll(servers.keySet());
        Set<String> allowed = new TreeSet<>();
        for (Endpoint from : everyone) {
            for (var to : listens.entrySet()) {
                if (from.equals(to.getKey()) && !servers.containsKey(from)) {
                    continue;
                }
                // What our pods reach, and what reaches our pods and servers; the servers' own egress is their operators'.
                if (!pods.containsValue(from) && !(ours.contains(to.getKey()) && to.getKey().isPod())) {
                    continue;
                }
                for (int port : to.getValue()) {
                    if (net.allows(from, to.getKey(), port)) {
                        allowed.add(link(from, to.getKey(), port));
                    }
                }
            }
        }
        assertEquals(expected, allowed, r.name() + ": the connections the policies allow");
    }

    private static String link(Endpoint from, Endpoint to, int port) {
        return from.name() + " → " + to.name() + ":" + port;
    }

    private static Endpoint target(Map<String, Endpoint> resolve, String host) {
        Endpoint e = resolve.get(host);
        if (e == null) {
            fail("the configuration names " + host + ", which no Service or known server answers");
        }
        return e;
    }

    /** The policy Strimzi makes for the listeners: each one's port from its peers only. */
    private static NetworkPolicy strimziListenerPolicy(Kafka kafka, String ns, Endpoint broker) {
        var rules = kafka.getSpec().getKafka().getListeners().stream().map(l -> new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder()
                .withFrom(l.getNetworkPolicyPeers()).addNewPort().withNewPort(l.getPort()).withProtocol("TCP").endPort().build()).toList();
        return new NetworkPolicyBuilder().withNewMetadata().withName("strimzi-listener").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(broker.labels()).endPodSelector().withPolicyTypes("Ingress")
                .withIngress(rules).endSpec().build();
    }

    /** The policy Strimzi makes for a Connect cluster's (MirrorMaker 2's) REST API: from its own workers and the cluster operator. */
    private static NetworkPolicy strimziConnectApiPolicy(String ns, Endpoint mirrorMaker) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("strimzi-connect-api").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(mirrorMaker.labels()).endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector().withMatchLabels(mirrorMaker.labels()).endPodSelector().endFrom()
                .addNewFrom().withNewNamespaceSelector().endNamespaceSelector().withNewPodSelector().withMatchLabels(Map.of("strimzi.io/kind", "cluster-operator")).endPodSelector().endFrom()
                .addNewPort().withNewPort(8083).withProtocol("TCP").endPort().endIngress()
                .endSpec().build();
    }

    /** MirrorMaker 2's pods as Strimzi labels them. */
    private static Endpoint mirrorMakerPods(Rendered r) {
        String name = r.all(KafkaMirrorMaker2.class).get(0).getMetadata().getName();
        return Endpoint.pod("mirrormaker2", r.namespace(), Map.of("strimzi.io/cluster", name, "strimzi.io/kind", "KafkaMirrorMaker2",
                "strimzi.io/name", name + "-mirrormaker2", "app.kubernetes.io/part-of", "strimzi-" + name));
    }

    /** What MirrorMaker 2's pods reach, of {@code candidates}, is exactly {@code expected}. */
    private static void mirrorMakerReachesExactly(Network net, Endpoint mm, Map<Endpoint, Set<Integer>> candidates, Set<String> expected, String where) {
        Set<String> allowed = new TreeSet<>();
        candidates.forEach((to, ports) -> ports.forEach(port -> {
            if (net.allows(mm, to, port)) {
                allowed.add(link(mm, to, port));
            }
        }));
        assertEquals(new TreeSet<>(expected), allowed, where + ": what MirrorMaker 2 reaches");
    }

    private static int listenerPort(Kafka kafka) {
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size(), "one listener: TLS with SCRAM");
        assertTrue(listeners.get(0).isTls());
        assertNotNull(listeners.get(0).getNetworkPolicyPeers(), "the listener is limited to the services");
        return listeners.get(0).getPort();
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** The services an overlay runs (the script runner is the scheduler's). */
    private static Set<String> deployedServices(Rendered r) {
        return r.all(Deployment.class).stream().filter(d -> !isLocalServer(d)).map(ManifestsTest::serviceOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Deployment deployment(Rendered r, String name) {
        return r.all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(r.name() + ": no Deployment " + name));
    }

    /** The overlay's one mirror (into this region). */
    private static KafkaMirrorMaker2MirrorSpec mirror(Rendered r) {
        return r.all(KafkaMirrorMaker2.class).get(0).getSpec().getMirrors().get(0);
    }

    private static KafkaMirrorMaker2ClusterSpec cluster(KafkaMirrorMaker2 mm, String alias) {
        return mm.getSpec().getClusters().stream().filter(c -> c.getAlias().equals(alias)).findFirst()
                .orElseThrow(() -> new AssertionError(mm.getMetadata().getName() + ": no cluster " + alias));
    }

    private static String username(KafkaMirrorMaker2ClusterSpec c) {
        return ((KafkaClientAuthenticationScramSha512) c.getAuthentication()).getUsername();
    }

    /** The listener of a type (internal, loadbalancer). */
    private static GenericKafkaListener listener(Kafka kafka, String type) {
        return kafka.getSpec().getKafka().getListeners().stream().filter(l -> l.getType().toValue().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError(kafka.getMetadata().getName() + ": no " + type + " listener"));
    }

    /** The topics contracts/topics.json has MirrorMaker 2 copy between regions, in its order. */
    private static List<String> federatedTopics() throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode t : topics().path("topics")) {
            if (t.path("federation").asText().equals("every-region")) {
                out.add(t.path("name").asText());
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }


    private static boolean isLocalServer(Deployment d) {
        return Set.of("postgres", "kafka").contains(d.getMetadata().getName());
    }

    private static String serviceOf(Deployment d) {
        String name = d.getMetadata().getName();
        if (name.equals("scheduler-runner")) {
            return "scheduler-service";
        }
        assertTrue(ServiceConfig.SERVICES.contains(name), "a Deployment of an unknown service: " + name);
        return name;
    }

    /** The container's environment with ConfigMap references resolved (Secret references as their reference). */
    private static Map<String, String> env(Rendered r, Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                out.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                out.put(e.getName(), r.all(ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(ref.getName()))
                        .map(m -> m.getData().get(ref.getKey())).findFirst().orElse(null));
            } else {
                out.put(e.getName(), "<from " + e.getValueFrom() + ">");
            }
        }
        return out;
    }

    /**
     * Keys the configuration files give (QUARKUS_CONFIG_LOCATIONS): the Secret mounted as the secrets
     * file declares its keys (its triggerlayer.dev/keys annotation); a settings file from a ConfigMap
     * (the federation's) gives the keys it holds.
     */
    private static Set<String> secretsFileKeys(Rendered r, PodSpec pod, Map<String, String> env, String service) {
        String locations = env.get("QUARKUS_CONFIG_LOCATIONS");
        if (locations == null) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        boolean secretsFile = false;
        for (String location : locations.split(",")) {
            Volume volume = volumeOf(pod, location);
            if (r.name().equals("local")) {
                assertNotNull(volume.getHostPath(), "local: the secrets file is the host's, from run-containers.sh");
                return generatedKeys(service);
            }
            if (volume.getConfigMap() != null) {
                out.addAll(settingsFile(r, volume, location).keySet());
                continue;
            }
            assertNotNull(volume.getSecret(), location + ": the secrets file comes from a Secret, never a ConfigMap");
            assertEquals(0400, volume.getSecret().getDefaultMode(), "the secrets file is readable by its owner only");
            Secret secret = r.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(volume.getSecret().getSecretName())).findFirst().orElseThrow();
            String keys = secret.getMetadata().getAnnotations().getOrDefault("triggerlayer.dev/keys", "");
            Stream.of(keys.split(",")).map(String::trim).forEach(out::add);
            secretsFile = true;
        }
        assertTrue(secretsFile, service + ": QUARKUS_CONFIG_LOCATIONS names the secrets file");
        return out;
    }

    /** The volume a file of the container lives on. */
    private static Volume volumeOf(PodSpec pod, String location) {
        var mount = pod.getContainers().get(0).getVolumeMounts().stream().filter(m -> location.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("QUARKUS_CONFIG_LOCATIONS' " + location + " is on no volume"));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    }

    /** A properties file mounted from a ConfigMap, as the service reads it. */
    private static Map<String, String> settingsFile(Rendered r, Volume volume, String location) {
        String file = location.substring(location.lastIndexOf('/') + 1);
        String key = volume.getConfigMap().getItems() == null || volume.getConfigMap().getItems().isEmpty() ? file
                : volume.getConfigMap().getItems().stream().filter(i -> i.getPath().equals(file)).map(i -> i.getKey()).findFirst()
                .orElseThrow(() -> new AssertionError(location + ": no item of ConfigMap " + volume.getConfigMap().getName()));
        ConfigMap map = r.all(ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(volume.getConfigMap().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + volume.getConfigMap().getName()));
        String text = map.getData().get(key);
        assertNotNull(text, location + ": ConfigMap " + map.getMetadata().getName() + " has no key " + key);
        return properties(text);
    }

    /** The settings files (from ConfigMaps) a Deployment's container reads, merged in order (later wins). */
    private static Map<String, String> settingsFiles(Rendered r, Deployment d) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Map<String, String> out = new LinkedHashMap<>();
        String locations = env(r, pod.getContainers().get(0)).get("QUARKUS_CONFIG_LOCATIONS");
        for (String location : locations == null ? new String[0] : locations.split(",")) {
            Volume volume = volumeOf(pod, location);
            if (volume.getConfigMap() != null) {
                out.putAll(settingsFile(r, volume, location));
            }
        }
        return out;
    }

    private static Map<String, String> properties(String text) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** The keys deploy/run-containers.sh writes into a service's secrets file for the local run. */
    private static Set<String> generatedKeys(String service) {
        String script = Overlay.read(Overlay.ROOT.resolve("deploy/run-containers.sh"));
        Matcher line = Pattern.compile("printf \"([^\"]*)\"[^\n]*\n?[^\n]*\\$dir/" + Pattern.quote(service) + "/secrets.properties").matcher(script);
        assertTrue(line.find(), "run-containers.sh writes " + service + "'s secrets file");
        Matcher common = Pattern.compile("common=\"([^\"]*)\"").matcher(script);
        assertTrue(common.find());
        Set<String> keys = new TreeSet<>();
        Matcher key = Pattern.compile("(?:^|\\\\n|\\})([A-Za-z][A-Za-z0-9_.\\-]*)=").matcher(line.group(1) + "\\n" + common.group(1));
        while (key.find()) {
            keys.add(key.group(1));
        }
        return keys;
    }

    private static JsonNode topics() throws Exception {
        return Overlay.YAML.readTree(Overlay.ROOT.resolve("contracts/topics.json").toFile());
    }

    private static String resourceName(Object resource) {
        return invoke(resource, "getName");
    }

    private static String patternType(Object resource) {
        return invoke(resource, "getPatternType");
    }

    private static String invoke(Object o, String getter) {
        try {
            return String.valueOf(o.getClass().getMethod(getter).invoke(o)).toLowerCase();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String pomProperty(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Overlay.read(Overlay.ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "the parent pom sets " + name);
        return m.group(1);
    }

    /** Prometheus names of the meters the services register (Micrometer: dots to underscores, counters _total, timers _seconds). */
    private static Set<String> exportedMetrics() throws Exception {
        Set<String> out = new TreeSet<>();
        Pattern meter = Pattern.compile("(Counter|Timer|Gauge)\\.builder\\(\"([a-z0-9_.]+)\"|\\b(counter|gauge)\\(\"([a-z0-9_.]+)\"");
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(Overlay.ROOT)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")).toList()) {
                Matcher m = meter.matcher(Overlay.read(f));
                while (m.find()) {
                    String type = m.group(1) != null ? m.group(1) : m.group(3);
                    String name = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_');
                    switch (type.toLowerCase()) {
                        case "counter" -> out.add(name + "_total");
                        case "timer" -> out.addAll(List.of(name + "_seconds_bucket", name + "_seconds_count", name + "_seconds_sum"));
                        default -> {
                            out.add(name);
                            out.add(name + "_seconds");
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Records every field a model kept as an unknown ("additional") property, anywhere in the object. */
    private static void unknownFields(Object o, String path, List<String> found, int depth) {
        if (o == null || depth > 30) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", found, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, found, depth + 1));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!(pkg.startsWith("io.fabric8") || pkg.startsWith("io.strimzi") || pkg.startsWith("dev.triggerlayer")) || o.getClass().isEnum()) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            boolean getter = m.getParameterCount() == 0 && (m.getName().startsWith("get") || m.getName().startsWith("is"))
                    && m.getDeclaringClass() != Object.class && !m.getName().equals("getClass");
            boolean recordComponent = o.getClass().isRecord() && m.getParameterCount() == 0 && m.getDeclaringClass() == o.getClass()
                    && Stream.of(o.getClass().getRecordComponents()).anyMatch(rc -> rc.getName().equals(m.getName()));
            if (!getter && !recordComponent) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(v, path + "." + m.getName(), found, depth + 1);
        }
    }
}
