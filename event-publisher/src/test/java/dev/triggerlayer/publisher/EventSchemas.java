package dev.triggerlayer.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validates JSON against the shared contracts in {@code contracts/events/} (JSON Schema 2020-12),
 * read from the repository itself so the tests follow the contract files. Every file is loaded
 * under its {@code $id}, which is how the schemas' relative {@code $ref}s resolve.
 */
public final class EventSchemas {

    private static final String BASE = "https://triggerlayer.dev/contracts/events/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SchemaRegistry registry;

    private EventSchemas() {
    }

    /** {@code contracts/events} of this repository, found from the working directory upwards. */
    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("contracts").resolve("events");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("contracts/events not found above " + Path.of("").toAbsolutePath());
    }

    /** The problems the schema finds in the document; empty if it is valid. */
    public static synchronized List<String> problems(String schemaFile, JsonNode document) {
        if (registry == null) {
            Map<String, String> schemas = new HashMap<>();
            try (Stream<Path> files = Files.list(directory())) {
                for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).toList()) {
                    schemas.put(BASE + file.getFileName(), Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(schemas));
        }
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + schemaFile));
        return schema.validate(document).stream().map(Object::toString).toList();
    }

    public static void assertValid(String schemaFile, JsonNode document) {
        List<String> problems = problems(schemaFile, document);
        assertTrue(problems.isEmpty(), schemaFile + " rejects " + document + ": " + problems);
    }

    /** The raw schema document, e.g. to read its {@code required} lists. */
    public static JsonNode raw(String schemaFile) {
        try {
            return JSON.readTree(directory().resolve(schemaFile).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
