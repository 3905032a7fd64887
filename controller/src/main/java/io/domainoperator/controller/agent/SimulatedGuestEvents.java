package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the simulator's guests do on their own, asked for from outside the agent process: a file named after a domain
 * in {@code <state-dir>/sim/guest-events/} holding {@code crash}, {@code reboot} or {@code poweroff} (empty: crash)
 * makes that guest do it before the next list; then the file goes. Real guests crash and reboot without asking
 * anyone; this is how a demo or an end-to-end test shows the agent following one while the process, not the test,
 * holds the simulator (e.g. while the API server is stopped). Only the {@code sim} backend is wrapped; every call
 * but the list goes straight through.
 */
final class SimulatedGuestEvents extends ForwardingHypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedGuestEvents.class);
    private final SimulatedHypervisor simulator;
    private final Path requests;

    SimulatedGuestEvents(SimulatedHypervisor simulator, Path requests) {
        super(simulator);
        this.simulator = simulator;
        this.requests = requests;
    }

    /** The request directory under a state directory. */
    static Path requestDirectory(Path stateDir) {
        return stateDir.resolve("sim").resolve("guest-events");
    }

    @Override
    public List<DomainInfo> listDomains() {
        guestEventsRequested();
        return super.listDomains();
    }

    private void guestEventsRequested() {
        if (!Files.isDirectory(requests)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(requests)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // a request being written (renamed into place when complete)
                }
                String event = Files.readString(file).strip();
                Files.deleteIfExists(file);
                try {
                    switch (event) {
                        case "", "crash" -> simulator.crash(name);
                        case "reboot" -> simulator.reboot(name);
                        case "poweroff" -> simulator.powerOff(name);
                        default -> {
                            LOG.warn("simulator: {} asks for '{}'; write crash, reboot or poweroff", file, event);
                            continue;
                        }
                    }
                    LOG.info("simulator: guest {}: {} (requested by {})", name, event.isEmpty() ? "crash" : event, file);
                } catch (IllegalArgumentException e) {
                    LOG.warn("simulator: {} requested by {}, but there is no domain {}", event, file, name);
                }
            }
        } catch (IOException e) {
            LOG.warn("simulator: cannot read guest event requests in {}: {}", requests, e.getMessage());
        }
    }
}
