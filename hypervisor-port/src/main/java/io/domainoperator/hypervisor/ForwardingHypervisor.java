package io.domainoperator.hypervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A backend that hands every call to another one: the base of the wrappers around a backend (the agent's call
 * counter, the simulator's guest-event requests, tests' watchers). A wrapper overrides only the calls it changes, so a
 * call the port grows reaches the backend through every wrapper instead of falling to the port's default (which, for
 * consoles or the guest agent's socket, says "none" without an error). {@code ForwardingHypervisorTest} keeps this
 * class overriding every call of the port.
 */
public abstract class ForwardingHypervisor implements Hypervisor {
    private final Hypervisor backend;

    protected ForwardingHypervisor(Hypervisor backend) {
        this.backend = backend;
    }

    /** The backend the calls go to. */
    protected final Hypervisor backend() {
        return backend;
    }

    @Override
    public String backendName() {
        return backend.backendName();
    }

    @Override
    public List<DomainInfo> listDomains() {
        return backend.listDomains();
    }

    @Override
    public Optional<DomainInfo> look(String name) {
        return backend.look(name);
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        return backend.createPaused(definition);
    }

    @Override
    public void unpause(String name) {
        backend.unpause(name);
    }

    @Override
    public void pause(String name) {
        backend.pause(name);
    }

    @Override
    public void requestShutdown(String name) {
        backend.requestShutdown(name);
    }

    @Override
    public void destroy(String name) {
        backend.destroy(name);
    }

    @Override
    public HostInfo hostInfo() {
        return backend.hostInfo();
    }

    @Override
    public void resizeLive(String name, int vcpus, int memoryMiB) {
        backend.resizeLive(name, vcpus, memoryMiB);
    }

    @Override
    public void saveToFile(String name, String imagePath) {
        backend.saveToFile(name, imagePath);
    }

    @Override
    public DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        return backend.restorePaused(definition, imagePath);
    }

    @Override
    public Optional<String> configFileOf(String name) {
        return backend.configFileOf(name);
    }

    @Override
    public Optional<ConsoleEndpoints> consoles(String name, int domainId) {
        return backend.consoles(name, domainId);
    }

    @Override
    public Optional<Path> guestAgentSocket(String name) {
        return backend.guestAgentSocket(name);
    }

    @Override
    public Optional<LiveMigration> liveMigration() {
        return backend.liveMigration();
    }

    @Override
    public void close() {
        backend.close();
    }
}
