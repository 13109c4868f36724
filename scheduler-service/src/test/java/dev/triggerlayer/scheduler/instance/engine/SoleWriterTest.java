package dev.triggerlayer.scheduler.instance.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machine is the only code that writes task_instance: every change passes its rules and its outbox. */
class SoleWriterTest {

    private static final Pattern WRITE = Pattern.compile("(update|insert into|delete from)\\s+task_instance\\b", Pattern.CASE_INSENSITIVE);

    @Test
    void onlyTheInstanceEngineWritesTaskInstances() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> writers;
        try (Stream<Path> files = Files.walk(main)) {
            writers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> WRITE.matcher(read(p)).find())
                    .map(p -> main.relativize(p).toString())
                    .toList();
        }
        assertTrue(writers.contains("dev/triggerlayer/scheduler/instance/engine/InstanceEngine.java"), "the check finds the engine's writes");
        assertEquals(List.of("dev/triggerlayer/scheduler/instance/engine/InstanceEngine.java"), writers);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
