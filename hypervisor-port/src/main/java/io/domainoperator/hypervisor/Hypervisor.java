package io.domainoperator.hypervisor;

import java.util.List;

/**
 * The port every backend implements ({@code xl}, {@code qemu}, {@code sim}). Narrow on purpose: the
 * reconciler decides, this only acts and observes. Domains are addressed by their hypervisor name
 * ({@link DomainDefinition#name()}); a backend refuses to act on a domain it did not create
 * ({@link DomainInfo#ours()} false) with {@link HypervisorException}.
 *
 * <p>Implementations are thread-safe: the agent calls them for many domains at once, never twice at once for
 * the same domain.
 */
public interface Hypervisor extends AutoCloseable {

    /** Backend name as chosen on the command line: {@code xl}, {@code qemu} or {@code sim}. */
    String backendName();

    /** Every domain the hypervisor knows, ours and foreign, in one call (one poll). */
    List<DomainInfo> listDomains();

    /**
     * One domain as a list would show it, asked about alone (the domain's own QMP socket under QEMU), or empty when
     * it does not exist: what the agent asks for a domain that waits while the list of every domain hangs. The default
     * lists every domain.
     */
    default java.util.Optional<DomainInfo> look(String name) {
        return listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * Creates the domain paused (xl create -p, qemu -S), devices attached but no vCPU run yet.
     *
     * @return what the hypervisor reports for the new domain
     */
    DomainInfo createPaused(DomainDefinition definition);

    void unpause(String name);

    void pause(String name);

    /** Asks the guest to shut down (ACPI power button / PV shutdown). Returns at once; the reconciler times it. */
    void requestShutdown(String name);

    /** Forced poweroff and teardown. Idempotent: destroying a domain that is gone is not an error. */
    void destroy(String name);

    HostInfo hostInfo();

    /**
     * Changes a running domain's vCPU count and memory target without a restart, within the maxima it was created
     * with (xl {@code vcpu-set}/{@code mem-set}; QEMU CPU hotplug and the virtio balloon). A backend that cannot
     * refuses with {@link HypervisorException}, and the engine then reports the change as restart-required.
     */
    default void resizeLive(String name, int vcpus, int memoryMiB) {
        throw new HypervisorException("resizeLive", name, "the " + backendName()
            + " backend cannot resize a running domain; the change applies at its next boot");
    }

    /**
     * Saves a domain's memory and device state to {@code imagePath} and ends the domain (xl save; QEMU migrates the
     * stopped VM into the file), as xendomains does at host shutdown. The image is the caller's to keep until a
     * restore from it succeeded.
     */
    default void saveToFile(String name, String imagePath) {
        throw new HypervisorException("saveToFile", name, "the " + backendName() + " backend cannot save a domain");
    }

    /**
     * Creates the domain from a save image instead of booting it (xl restore -p; QEMU -incoming), paused: the guest
     * goes on where it was saved once unpaused. A failure leaves nothing running and the image untouched.
     */
    default DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        throw new HypervisorException("restorePaused", definition.name(), "the " + backendName()
            + " backend cannot restore a domain");
    }

    /** The file on this node the backend started the domain from (xl's config file), if it keeps one. */
    default java.util.Optional<String> configFileOf(String name) {
        return java.util.Optional.empty();
    }

    /**
     * The consoles of a domain of ours that exists now: serial pty, socket and log, VNC address and port. Empty for
     * a domain the backend does not know; a backend without consoles (the simulator) reports none.
     *
     * @param domainId the id the domain was last listed with (xl reads xenstore by domain id)
     */
    default java.util.Optional<ConsoleEndpoints> consoles(String name, int domainId) {
        return java.util.Optional.empty();
    }

    /**
     * The host end (a unix socket) of the QEMU guest agent channel of a domain of ours launched with one
     * ({@link Console#guestAgentChannel()}). Empty for a domain without it, and on a backend that has no such
     * channel (xl, the simulator).
     */
    default java.util.Optional<java.nio.file.Path> guestAgentSocket(String name) {
        return java.util.Optional.empty();
    }

    /** Live migration, for a backend that can do it (QEMU, xl); empty for one that cannot (the simulator). */
    default java.util.Optional<LiveMigration> liveMigration() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {
    }
}
