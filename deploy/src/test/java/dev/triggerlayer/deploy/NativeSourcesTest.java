package dev.triggerlayer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's native build as far as this machine goes (its build's native-sources execution:
 * Quarkus runs every native build step and writes what native-image compiles): the sources are
 * there, and every class the gateway writes with Jackson by hand is registered for reflection.
 */
class NativeSourcesTest {

    static final Path GATEWAY = Overlay.ROOT.resolve("trigger-gateway");
    static final Path SOURCES = GATEWAY.resolve("target/native-sources");

    @Test
    void theGatewaysNativeSourcesAreCompleteAndRegisterWhatItSerialisesByHand() throws Exception {
        String args = Files.readString(SOURCES.resolve("native-image.args"));
        assertTrue(args.contains("io.quarkus.runner.Feature"), "Quarkus' native feature is in the arguments");
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        assertTrue(args.contains(runner.getFileName().toString()), "the arguments name the runner jar");
        assertTrue(Files.isDirectory(SOURCES.resolve("lib")));
        assertTrue(Files.readString(SOURCES.resolve("graalvm.version")).strip().matches("\\d+(\\.\\d+)*"), "the GraalVM version the sources are for");

        Set<String> registered = new TreeSet<>();
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            JsonNode config = Overlay.YAML.readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
            for (JsonNode entry : config) {
                if (entry.path("allDeclaredConstructors").asBoolean() && entry.path("allDeclaredMethods").asBoolean()) {
                    registered.add(entry.path("name").asText());
                }
            }
        }
        Set<String> annotated = new TreeSet<>();
        Pattern type = Pattern.compile("@RegisterForReflection\\s+public\\s+(?:record|class|final class)\\s+(\\w+)");
        try (Stream<Path> files = Files.walk(GATEWAY.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = type.matcher(Files.readString(f));
                if (m.find()) {
                    String pkg = GATEWAY.resolve("src/main/java").relativize(f.getParent()).toString().replace('/', '.');
                    annotated.add(pkg + "." + m.group(1));
                }
            }
        }
        assertTrue(annotated.containsAll(Set.of("dev.triggerlayer.gateway.trigger.TriggerCommand", "dev.triggerlayer.gateway.rpc.ErrorBody")),
                "the records written with Jackson outside REST methods are annotated: " + annotated);
        assertTrue(registered.containsAll(annotated), "registered for reflection: " + annotated + " of " + registered.size());
    }

    @Test
    void theNativeDockerfileTakesWhatTheNativeBuildWrites() throws Exception {
        String dockerfile = Files.readString(GATEWAY.resolve("src/main/docker/Dockerfile.native-micro"));
        assertTrue(dockerfile.contains("COPY --chown=1001:root --chmod=0755 target/*-runner /work/application"), dockerfile);
        assertTrue(dockerfile.contains("ARG BASE_IMAGE="), "the base image is a build argument");
        assertEquals(1, Pattern.compile("^USER 1001$", Pattern.MULTILINE).matcher(dockerfile).results().count(), "runs as the edge overlay's uid 1001");
    }
}
