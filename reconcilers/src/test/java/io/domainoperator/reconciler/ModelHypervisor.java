package io.domainoperator.reconciler;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A small hypervisor with the port's contract: domains by unique name, create refuses a name in use, destroy
 * of a gone domain is fine, a paused domain accrues no CPU time, a guest powers off a few seconds after a
 * shutdown request unless it ignores such requests. Each domain remembers which DomainConfig it was created for
 * ({@code owner}) and the spec it was built from, so that the tests can count domains per DomainConfig.
 */
final class ModelHypervisor {
    static final Duration GUEST_SHUTDOWN_TIME = Duration.ofSeconds(2);

    static final class Dom {
        final int id;
        final String name;
        final UUID uuid;
        final String owner;
        /** What the domain runs with: its boot spec, updated by a live resize. */
        StartedSpec builtFrom;
        final long memoryMiB;
        DomainState state = DomainState.PAUSED;
        long cpu;
        Instant powerOffAt;
        boolean ignoresShutdown;

        Dom(int id, String name, UUID uuid, String owner, StartedSpec builtFrom, long memoryMiB) {
            this.memoryMiB = memoryMiB;
            this.id = id;
            this.name = name;
            this.uuid = uuid;
            this.owner = owner;
            this.builtFrom = builtFrom;
        }

        boolean up() {
            return !state.hasStopped() && !state.dying() && !(state.paused() && cpu == 0);
        }

        DomainInfo info() {
            // What xl list and QEMU's monitor report: the vCPUs online and the memory the domain runs with now.
            int vcpus = builtFrom == null || builtFrom.vcpus() == null ? 1 : builtFrom.vcpus();
            long memory = builtFrom == null || builtFrom.memoryMiB() == null ? 1L << 29 : builtFrom.memoryMiB() * 1024L * 1024L;
            return new DomainInfo(id, name, uuid, state, cpu, vcpus, memory, 1L << 29, true);
        }
    }

    /** A failure the backend reports; the caller journals it with withFailure. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Dom> byName = new LinkedHashMap<>();
    private int nextId = 1;
    /** The host's memory for domains; a create that does not fit fails, as xl's and QEMU's do. */
    long hostMemoryMiB = Long.MAX_VALUE / (1L << 21);

    long freeMemoryMiB() {
        return hostMemoryMiB - byName.values().stream().mapToLong(d -> d.memoryMiB).sum();
    }

    Optional<DomainInfo> lookup(String name) {
        Dom d = name == null ? null : byName.get(name);
        return d == null ? Optional.empty() : Optional.of(d.info());
    }

    List<Dom> domains() {
        return new ArrayList<>(byName.values());
    }

    List<Dom> ownedBy(String owner) {
        return byName.values().stream().filter(d -> d.owner.equals(owner)).toList();
    }

    DomainInfo createPaused(Operation.CreatePaused c, String owner, boolean failHalfWay) {
        if (byName.containsKey(c.name())) {
            throw new Failure("domain " + c.name() + " already exists");
        }
        long memory = c.spec().effectiveMaxMemoryMiB();
        if (memory > freeMemoryMiB()) {
            throw new Failure("not enough free memory for " + c.name() + ": needs " + memory + " MiB, "
                + freeMemoryMiB() + " MiB free");
        }
        Dom d = new Dom(nextId++, c.name(), UUID.fromString(c.uuid()), owner, StartedSpec.of(c.spec(), c.uuid()),
            memory);
        byName.put(d.name, d);
        if (failHalfWay) {
            throw new Failure("libxl: device model did not start; domain " + d.name + " left paused");
        }
        return d.info();
    }

    void unpause(String name) {
        Dom d = existing(name);
        if (d.state.paused()) {
            d.state = DomainState.RUNNING;
        }
    }

    void pause(String name) {
        Dom d = existing(name);
        if (d.state.isAlive()) {
            d.state = DomainState.PAUSED;
        }
    }

    void requestShutdown(String name, Instant now) {
        Dom d = existing(name);
        if (d.state.isAlive() && !d.ignoresShutdown && d.powerOffAt == null) {
            d.powerOffAt = now.plus(GUEST_SHUTDOWN_TIME);
        }
    }

    void destroy(String name) {
        byName.remove(name);
    }

    void crash(Dom d) {
        d.state = DomainState.CRASHED;
        d.powerOffAt = null;
    }

    /** Guests run: CPU time accrues, shutdown requests complete. */
    void advance(Instant now) {
        for (Dom d : byName.values()) {
            if (d.state.isAlive()) {
                d.cpu += 1_000_000;
                if (d.powerOffAt != null && !now.isBefore(d.powerOffAt)) {
                    d.state = DomainState.shutdown(ShutdownReason.POWEROFF);
                    d.powerOffAt = null;
                }
            }
        }
    }

    Dom existing(String name) {
        Dom d = byName.get(name);
        if (d == null) {
            throw new Failure("no such domain: " + name);
        }
        return d;
    }
}
