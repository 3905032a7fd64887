package io.domainoperator.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The hypervisor's side of an agent process run with {@code --hypervisor sim}: the simulator keeps its domains in
 * {@code <state-dir>/sim/domains.d/}, one JSON file per domain (each replaced atomically when its domain changes,
 * deleted when it is destroyed; files starting with a dot are writes in flight), and takes guest events (crash,
 * reboot, poweroff) from files in {@code <state-dir>/sim/guest-events/}. Read without the API server, so a test
 * can watch the agent act while the server is stopped.
 */
public record SimulatorStateFile(List<Domain> domains) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One simulated domain: its id, hypervisor name and phase (PAUSED, RUNNING, SHUTDOWN, HALF_CREATED). */
    public record Domain(int id, String name, String phase) {
    }

    public static SimulatorStateFile read(Path stateDir) {
        Path dir = stateDir.resolve("sim").resolve("domains.d");
        if (!Files.isDirectory(dir)) {
            return new SimulatorStateFile(List.of());
        }
        List<Domain> domains = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    JsonNode d = JSON.readTree(file.toFile());
                    domains.add(new Domain(d.path("id").asInt(), d.path("name").asText(), d.path("phase").asText()));
                } catch (NoSuchFileException destroyed) {
                    // gone between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's state in " + dir, e);
        }
        domains.sort(Comparator.comparingInt(Domain::id));
        return new SimulatorStateFile(List.copyOf(domains));
    }

    public Optional<Domain> domain(String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The guest of domain {@code name} does {@code event} (crash, reboot or poweroff) before the agent's next poll. */
    public static void requestGuestEvent(Path stateDir, String name, String event) {
        Path dir = stateDir.resolve("sim").resolve("guest-events");
        try {
            Files.createDirectories(dir);
            Path pending = Files.writeString(dir.resolve("." + name + ".tmp"), event);
            Files.move(pending, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ask for " + event + " of " + name + " in " + dir, e);
        }
    }
}
