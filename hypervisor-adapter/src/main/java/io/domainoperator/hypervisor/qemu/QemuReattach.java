package io.domainoperator.hypervisor.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a new {@link QemuHypervisor} finds the QEMUs an earlier agent started from the same state directory: each
 * domain directory with a readable {@code domain.json} becomes a {@link QemuDomain} again (crashed when its QEMU is
 * gone), its QEMU moved into the guests' cgroup and its QMP connected; a directory without a record and without a
 * QEMU is the leftover of a create that never finished, and is removed.
 */
final class QemuReattach {
    private static final Logger LOG = LoggerFactory.getLogger(QemuReattach.class);

    private final QemuOptions options;
    private final ProcFs proc;
    private final DomainIds ids;
    private final GuestCgroups cgroups;

    QemuReattach(QemuOptions options, ProcFs proc, DomainIds ids, GuestCgroups cgroups) {
        this.options = options;
        this.proc = proc;
        this.ids = ids;
        this.cgroups = cgroups;
    }

    /**
     * Hands each domain of the state directory to {@code found} in name order, as soon as it is known (so that a
     * failure later on still leaves it to be closed); leftovers of unfinished creates are removed.
     */
    void reattachAll(Consumer<QemuDomain> found) {
        try (Stream<Path> dirs = Files.list(options.domainsDir())) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                reattach(new DomainPaths(dir), found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + options.domainsDir(), e);
        }
    }

    private void reattach(DomainPaths paths, Consumer<QemuDomain> found) {
        String name = paths.dir().getFileName().toString();
        DomainRecord record;
        try {
            record = DomainRecord.read(DomainRecord.JSON, paths.recordFile());
        } catch (IOException e) {
            Optional<Long> pid = paths.readPid();
            if (pid.isPresent() && QemuDomain.isOurQemu(proc, pid.get(), paths)) {
                LOG.error("domain {}: re-attach: QEMU pid {} runs but {} is unreadable ({}); not touching it, "
                    + "destroy {} to end it", name, pid.get(), paths.recordFile(), e.getMessage(), name);
                return;
            }
            // domain.json is written before QEMU starts: without it and without a QEMU, a create never finished.
            LOG.info("domain {}: re-attach: removing the leftovers of an unfinished create in {}", name, paths.dir());
            paths.deleteAll();
            return;
        }
        ids.reserveAbove(record.domainId());
        Optional<Long> pid = paths.readPid();
        QemuDomain domain = new QemuDomain(record, paths, pid.orElse(-1L), proc, options.qmpTimeout());
        found.accept(domain);
        if (pid.isEmpty() || !domain.processAlive()) {
            LOG.warn("domain {}: re-attach: its QEMU (pid {}) is gone; reported as crashed until destroyed", name,
                pid.map(String::valueOf).orElse("unknown"));
            return;
        }
        try {
            // Again on every re-attach: a QEMU started by an agent without cgroups moves now, a moved one stays.
            cgroups.place(name, pid.get(), QemuMemoryLimit.bytes(record.definition()));
        } catch (GuestCgroups.CgroupException e) {
            LOG.warn("domain {}: re-attach: QEMU pid {} stays in its cgroup and stops with this agent: {}", name,
                pid.get(), e.getMessage());
        }
        try {
            domain.connected();
            LOG.info("domain {}: re-attached to QEMU pid {} (domain id {})", name, pid.get(), record.domainId());
        } catch (QmpException e) {
            LOG.warn("domain {}: re-attach: QEMU pid {} runs but QMP failed, retrying on each poll: {}", name, pid.get(),
                e.getMessage());
        }
    }
}
