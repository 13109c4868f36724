package dev.triggerlayer.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's configuration as its jar carries it: its {@code application.properties} over the
 * kit's {@code META-INF/microprofile-config.properties}, read as plain properties so the manifests
 * can be checked against what the service really reads.
 */
final class ServiceConfig {

    static final List<String> SERVICES = List.of("tenant-registry", "scheduler-service", "trigger-gateway", "event-publisher");
    /** Quarkus' own variables a manifest may set. */
    static final Set<String> QUARKUS_VARIABLES = Set.of("QUARKUS_CONFIG_LOCATIONS", "QUARKUS_PROFILE");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-\"]+)(:[^}]*)?}");

    final String service;
    /** key (with its %profile. prefix, if any) → raw value, kit first, then the service. */
    final Map<String, String> raw = new LinkedHashMap<>();

    private ServiceConfig(String service) {
        this.service = service;
        load(Overlay.ROOT.resolve("service-kit/src/main/resources/META-INF/microprofile-config.properties"));
        load(Overlay.ROOT.resolve(service).resolve("src/main/resources/application.properties"));
    }

    static ServiceConfig of(String service) {
        return new ServiceConfig(service);
    }

    /** The value of {@code key} in the default (prod) profile, expressions expanded with their defaults. */
    String value(String key) {
        String v = raw.getOrDefault("%prod." + key, raw.get(key));
        return v == null ? null : expand(v, 0);
    }

    /** Every environment variable the configuration refers to as {@code ${NAME}} (upper case), in any profile. */
    Set<String> variables() {
        Set<String> out = new LinkedHashSet<>();
        raw.values().forEach(v -> {
            Matcher m = EXPRESSION.matcher(v);
            while (m.find()) {
                if (m.group(1).matches("[A-Z0-9_]+")) {
                    out.add(m.group(1));
                }
            }
        });
        return out;
    }

    /**
     * Properties that need a value a deployment must supply (an expression on a variable without a
     * default), in the given profiles: key → variable.
     */
    Map<String, String> required(Set<String> profiles) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((key, v) -> {
            String plain = key;
            if (key.startsWith("%")) {
                String profile = key.substring(1, key.indexOf('.'));
                if (!profiles.contains(profile)) {
                    return;
                }
                plain = key.substring(key.indexOf('.') + 1);
            }
            Matcher m = EXPRESSION.matcher(v);
            while (m.find()) {
                if (m.group(2) == null && m.group(1).matches("[A-Z0-9_]+")) {
                    out.put(plain, m.group(1));
                }
            }
        });
        return out;
    }

    private String expand(String v, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("expression loop in " + service + ": " + v);
        }
        Matcher m = EXPRESSION.matcher(v);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = raw.containsKey(name) ? value(name)
                    : m.group(2) != null ? expand(m.group(2).substring(1), depth + 1) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.stringPropertyNames().stream().sorted().forEach(k -> raw.put(k, p.getProperty(k)));
    }
}
