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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static final List<String> OVERLAYS = List.of("production", "edge", "local");

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
    @ValueSource(strings = {"production", "edge", "local"})
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
    @ValueSource(strings = {"production", "edge", "local"})
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
                if (service.equals("scheduler-service") && overlay.equals("production")) {
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
    @ValueSource(strings = {"production", "edge", "local"})
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
    }

    @Test
    void everyTopicHasAKafkaTopicWithItsDeclaredSettings() throws Exception {
        Rendered r = rendered.get("production");
        String cluster = r.all(Kafka.class).get(0).getMetadata().getName();
        Map<String, KafkaTopic> byTopic = r.all(KafkaTopic.class).stream().collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
        Set<String> declared = new TreeSet<>();
        for (JsonNode t : topics().path("topics")) {
            String name = t.path("name").asText();
            declared.add(name);
            KafkaTopic kt = byTopic.get(name);
            assertNotNull(kt, "no KafkaTopic for " + name);
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
        assertEquals(declared, new TreeSet<>(byTopic.keySet()), "a KafkaTopic for exactly the declared topics");
        assertEquals("false", String.valueOf(r.all(Kafka.class).get(0).getSpec().getKafka().getConfig().get("auto.create.topics.enable")),
                "topics are made by their owners and the topic operator only");
    }

    @Test
    void everyServiceHasAKafkaUserWhoseAclsCoverExactlyItsTopicsAndGroups() throws Exception {
        Rendered r = rendered.get("production");
        Map<String, KafkaUser> users = r.all(KafkaUser.class).stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        assertEquals(new TreeSet<>(ServiceConfig.SERVICES), new TreeSet<>(users.keySet()), "one KafkaUser per service");
        JsonNode topics = topics();
        for (String service : ServiceConfig.SERVICES) {
            Set<String> expected = new TreeSet<>();
            for (JsonNode t : topics.path("topics")) {
                if (t.path("owner").asText().equals(service)) {
                    expected.add("topic:" + t.path("name").asText() + ":literal:" + List.of("CREATE", "DESCRIBE", "DESCRIBECONFIGS", "WRITE"));
                }
                for (JsonNode reader : t.path("readers")) {
                    if (reader.asText().equals(service)) {
                        expected.add("topic:" + t.path("name").asText() + ":literal:" + List.of("DESCRIBE", "READ"));
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
            Set<String> actual = new TreeSet<>();
            ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls().forEach(acl -> actual.add(
                    acl.getResource().getType() + ":" + resourceName(acl.getResource()) + ":" + patternType(acl.getResource()) + ":"
                            + acl.getOperations().stream().map(o -> o.toString().toUpperCase()).sorted().toList()));
            assertEquals(expected, actual, service + "'s ACLs");
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
    @ValueSource(strings = {"production", "edge", "local"})
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
            if (env.containsKey("SCHEDULER_URL")) {
                URI scheduler = URI.create(env.get("SCHEDULER_URL"));
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

    /** The policy Strimzi makes for a listener: its port from the listener's peers only. */
    private static NetworkPolicy strimziListenerPolicy(Kafka kafka, String ns, Endpoint broker) {
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().get(0);
        return new NetworkPolicyBuilder().withNewMetadata().withName("strimzi-listener").withNamespace(ns).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(broker.labels()).endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().withFrom(listener.getNetworkPolicyPeers()).addNewPort().withNewPort(listener.getPort()).withProtocol("TCP").endPort().endIngress()
                .endSpec().build();
    }

    private static int listenerPort(Kafka kafka) {
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size(), "one listener: TLS with SCRAM");
        assertTrue(listeners.get(0).isTls());
        assertNotNull(listeners.get(0).getNetworkPolicyPeers(), "the listener is limited to the services");
        return listeners.get(0).getPort();
    }

    // --- helpers -------------------------------------------------------------------------------------

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

    /** Keys the Secret mounted as the secrets file declares (its triggerlayer.dev/keys annotation). */
    private static Set<String> secretsFileKeys(Rendered r, PodSpec pod, Map<String, String> env, String service) {
        String location = env.get("QUARKUS_CONFIG_LOCATIONS");
        if (location == null) {
            return Set.of();
        }
        var mount = pod.getContainers().get(0).getVolumeMounts().stream().filter(m -> location.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("QUARKUS_CONFIG_LOCATIONS " + location + " is on no volume"));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        if (r.name().equals("local")) {
            assertNotNull(volume.getHostPath(), "local: the secrets file is the host's, from run-containers.sh");
            return generatedKeys(service);
        }
        assertNotNull(volume.getSecret(), "the secrets file comes from a Secret, never a ConfigMap");
        assertEquals(0400, volume.getSecret().getDefaultMode(), "the secrets file is readable by its owner only");
        Secret secret = r.all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(volume.getSecret().getSecretName())).findFirst().orElseThrow();
        String keys = secret.getMetadata().getAnnotations().getOrDefault("triggerlayer.dev/keys", "");
        return Stream.of(keys.split(",")).map(String::trim).collect(Collectors.toSet());
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
