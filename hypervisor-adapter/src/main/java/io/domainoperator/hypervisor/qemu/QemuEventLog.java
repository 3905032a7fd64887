package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.hypervisor.ShutdownReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A second QMP monitor that QEMU keeps writing to a file whether or not an agent is attached: QEMU's {@code pipe}
 * character device opens {@code events.in} and {@code events.out} in the domain's directory; with plain files
 * there, the monitor reads the capabilities handshake from {@code events.in} once and then appends every event
 * (SHUTDOWN with its reason, RESET, STOP, ...) to {@code events.out}. QEMU 7.2 has no {@code input-path} for
 * the {@code file} device, hence {@code pipe}. Only domains whose onReboot and onPoweroff differ get it
 * ({@link GuestStopActions#needsEventLog}); they stop at the first SHUTDOWN, so the file stays a few lines.
 */
final class QemuEventLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDSHAKE = "{\"execute\":\"qmp_capabilities\"}\n";

    private QemuEventLog() {
    }

    static Path base(DomainPaths paths) {
        return paths.dir().resolve("events");
    }

    static Path output(DomainPaths paths) {
        return paths.dir().resolve("events.out");
    }

    /** The monitor's arguments; {@link #prepare} must have written its files before QEMU starts. */
    static List<String> args(DomainPaths paths) {
        return List.of("-chardev", "pipe,id=events,path=" + QemuCommandLine.opt(base(paths).toString()),
            "-mon", "chardev=events,mode=control");
    }

    /** Writes the handshake QEMU reads and the empty file it appends to (without them it would not start). */
    static void prepare(DomainPaths paths) throws IOException {
        Files.writeString(paths.dir().resolve("events.in"), HANDSHAKE);
        Files.writeString(output(paths), "");
    }

    /** Why the guest last stopped, from the file: empty when there is no log or it records no stop. */
    static Optional<ShutdownReason> lastStop(DomainPaths paths) {
        List<String> lines;
        try {
            lines = Files.readAllLines(output(paths));
        } catch (IOException e) {
            return Optional.empty(); // no log (the domain has none) or not readable: the reason stays unknown
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonNode line;
            try {
                line = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                continue; // a line QEMU is still writing
            }
            switch (line.path("event").asText("")) {
                case "SHUTDOWN" -> {
                    return Optional.of(QemuStates.fromShutdownCause(line.path("data").path("reason").asText("")));
                }
                case "GUEST_PANICKED" -> {
                    return Optional.of(ShutdownReason.CRASH);
                }
                default -> {
                }
            }
        }
        return Optional.empty();
    }
}
