package io.domainoperator.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The domains an agent run with {@code --hypervisor sim} keeps in its state directory, read as a test beside the
 * process sees them: one JSON file per domain in {@code <state-dir>/sim/domains.d/} (files starting with a dot are
 * the simulator's writes in flight), by domain id.
 */
final class SimulatorDomainsOnDisk {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulatorDomainsOnDisk() {
    }

    static List<JsonNode> read(Path stateDir) throws IOException {
        Path dir = stateDir.resolve("sim/domains.d");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    out.add(JSON.readTree(file.toFile()));
                } catch (NoSuchFileException deleted) {
                    // the domain was destroyed between the listing and the read
                }
            }
        }
        out.sort(Comparator.comparingInt(d -> d.path("id").asInt()));
        return out;
    }

    /** Each domain as "name:PHASE". */
    static List<String> namesAndPhases(Path stateDir) throws IOException {
        return read(stateDir).stream().map(d -> d.path("name").asText() + ":" + d.path("phase").asText()).toList();
    }
}
