package io.domainoperator.controller.probe;

import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.hypervisor.qemu.GuestAgentClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * spec.readinessProbe.guestAgent for one boot: the QEMU guest agent answers a sync and a ping on the domain's channel
 * ({@link GuestAgentClient}), counted as Kubernetes counts a TCP probe (ready after successThreshold passes in a row,
 * not ready after failureThreshold failures in a row). The channel exists only on QEMU, and only for a domain that
 * booted with the probe set: both cases say so instead of timing out.
 */
final class GuestAgentCheck {
    private final ReadinessProbe probe;
    private final Supplier<Optional<Path>> socket;
    private final String backend;
    private int successes;
    private int failures;
    private boolean ready;

    /**
     * @param socket  the host end of the domain's guest agent channel, if it has one
     * @param backend the backend's name, to say why there is no channel
     */
    GuestAgentCheck(ReadinessProbe probe, Supplier<Optional<Path>> socket, String backend) {
        this.probe = probe;
        this.socket = socket;
        this.backend = backend;
    }

    boolean ready() {
        return ready;
    }

    /** Probes once; returns what it saw, for the condition's message. */
    String probeOnce() {
        Optional<Path> channel = socket.get();
        if (channel.isEmpty()) {
            failed();
            return "qemu".equals(backend)
                ? "the domain has no guest agent channel: it booted before spec.readinessProbe.guestAgent was set;"
                    + " restart it to add the channel"
                : "spec.readinessProbe.guestAgent is QEMU-only: the " + backend + " backend has no guest agent channel;"
                    + " use a tcp or serial probe";
        }
        try {
            String version = GuestAgentClient.ping(channel.get(), Duration.ofSeconds(probe.timeoutOrDefault()));
            successes++;
            failures = 0;
            if (successes >= probe.successThresholdOrDefault()) {
                ready = true;
            }
            return "the guest agent answered" + (version.isEmpty() ? "" : " (qemu-ga " + version + ")");
        } catch (GuestAgentClient.GuestAgentException e) {
            failed();
            return "guest agent: " + e.getMessage() + " (" + failures + " in a row)";
        }
    }

    private void failed() {
        failures++;
        successes = 0;
        if (failures >= probe.failureThresholdOrDefault()) {
            ready = false;
        }
    }
}
