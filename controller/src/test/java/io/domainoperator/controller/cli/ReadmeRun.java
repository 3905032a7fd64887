package io.domainoperator.controller.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the README's runs of {@code ./domain-operator standalone} share: the repository's examples copied beside the
 * run, the README's command line (its default metrics port 9464 when that is free) and the phases the run writes to
 * {@code state/status/}. Classes that may take 9464 hold {@link io.domainoperator.controller.TestResources#README_METRICS_PORT}.
 */
final class ReadmeRun {
    static final Path EXAMPLES = CliProcess.ROOT.resolve("examples");
    /** A JVM's exit status after SIGTERM with shutdown hooks run: 128 + 15. */
    static final int SIGTERM_EXIT = 143;
    /** Only a bound on a hung process, never a timing assertion: CI machines are shared and can be slow. */
    static final long TIMEOUT = 300;
    private static final int README_METRICS_PORT = 9464;
    private static final YAMLMapper YAML = new YAMLMapper();

    private ReadmeRun() {
    }

    /** The environment of a launcher run: the agent's log at INFO, mutable for a test's additions. */
    static Map<String, String> env() {
        return new HashMap<>(Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"));
    }

    /** The README's arguments verbatim, or with {@code --metrics-port 0} when something else holds 9464. */
    static String[] args(String... readme) {
        return portFree(README_METRICS_PORT) ? readme
            : Stream.concat(Stream.of(readme), Stream.of("--metrics-port", "0")).toArray(String[]::new);
    }

    static String phase(Path statusDir, String name) throws IOException {
        Path file = statusDir.resolve("default_" + name + ".yaml");
        if (!Files.exists(file)) {
            return "(no status file)";
        }
        return YAML.readTree(file.toFile()).path("status").path("phase").asText();
    }

    static void copyExamples(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
