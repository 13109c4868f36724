package dev.triggerlayer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's event contracts ({@code contracts/events}), each loaded under its {@code $id} so relative refs resolve. */
final class EventSchemas {

    private static final String BASE = "https://triggerlayer.dev/contracts/events/";
    private static SchemaRegistry registry;

    private EventSchemas() {
    }

    /** What the schema of this event's type finds wrong with it; empty when valid. */
    static synchronized List<String> problems(JsonNode event) {
        if (registry == null) {
            Map<String, String> schemas = new HashMap<>();
            try (Stream<Path> files = Files.list(TriggerLayer.repositoryRoot().resolve("contracts/events"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).toList()) {
                    schemas.put(BASE + file.getFileName(), Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(schemas));
        }
        String file = switch (event.path("type").asText()) {
            case "dataworks:InstanceStatusChanges:InstanceStatusChanges" -> "instance-status-changes.schema.json";
            case "dataworks:DagStatusChanges:DagStatusChanges" -> "dag-status-changes.schema.json";
            default -> event.path("data").path("eventCode").asText() + ".schema.json";
        };
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + file));
        return schema.validate(event).stream().map(Object::toString).toList();
    }
}
