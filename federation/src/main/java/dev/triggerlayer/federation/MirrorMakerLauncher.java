package dev.triggerlayer.federation;

import org.apache.kafka.connect.mirror.MirrorMaker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs Kafka MirrorMaker 2 in dedicated mode (what {@code connect-mirror-maker.sh} runs) between
 * the regions a properties file names, with the flows and topic allow-list
 * {@link FederationConfig} derives from {@code contracts/topics.json}. Usage:
 * {@code java -jar federation.jar <file>} (add {@code --print} to print the effective
 * configuration, secrets masked, and exit). The file holds {@code clusters} and each cluster's
 * {@code <alias>.bootstrap.servers} and client settings; being where the SASL secrets go, it must
 * not be readable by others, and secrets never travel on the command line.
 */
public final class MirrorMakerLauncher {

    private MirrorMakerLauncher() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = Arrays.stream(args).filter(a -> !a.equals("--print")).toList();
        if (rest.size() != 1) {
            System.err.println("usage: java -jar federation.jar [--print] <mirror-maker.properties>");
            System.exit(2);
        }
        Path file = Path.of(rest.get(0));
        Map<String, String> config = FederationConfig.effective(read(file));
        if (Arrays.asList(args).contains("--print")) {
            new TreeMap<>(config).forEach((k, v) -> System.out.println(k + "=" + (FederationConfig.secret(k) ? "*****" : v)));
            return;
        }
        MirrorMaker mirrorMaker = new MirrorMaker(config);
        Runtime.getRuntime().addShutdownHook(new Thread(mirrorMaker::stop, "mirror-maker-stop"));
        mirrorMaker.start();
        mirrorMaker.awaitStop();
    }

    private static Map<String, String> read(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException(file + " is readable by every user; it may hold secrets: chmod o-r it");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
