package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.qemu.QemuCommandLine.Launch;
import io.domainoperator.hypervisor.qemu.QemuCommandLine.TapAttachment;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU backend: one daemonized {@code qemu-system-x86_64} per domain, driven over QMP.
 *
 * <p>Everything about a domain lives in {@code <stateDir>/qemu/<name>/}: the QMP socket, QEMU's pidfile, the
 * serial console log, {@code domain.json} (what was launched) and the last shutdown reason. QEMU is
 * daemonized, so domains outlive the agent; a new instance over the same state directory re-attaches to every
 * QEMU it finds there whose pid still runs that domain's QEMU (checked in /proc/pid/cmdline), and never starts a
 * second one for a name it has. Only these domains are listed (all {@code ours}); QEMUs started by anybody else
 * are invisible to this backend and never touched.
 *
 * <p>Semantics of the port's operations:
 * <ul>
 * <li>{@link #createPaused}: QEMU with {@code -S}; a name that already has a domain (alive or a stopped shell)
 *     is refused, as {@code xl create} refuses it: the reconciler destroys first.</li>
 * <li>{@link #requestShutdown}: the ACPI power button ({@code system_powerdown}). The guest stopping (poweroff,
 *     reboot, panic) never ends QEMU: the domain stays, stopped, with its {@link io.domainoperator.hypervisor.ShutdownReason},
 *     until {@link #destroy}; a reboot with onReboot Restart is a reset inside QEMU ({@link GuestStopActions}).</li>
 * <li>{@link #destroy}: forced: QMP {@code quit}, SIGKILL if QEMU does not exit within {@code quitGrace}; then
 *     the runtime directory is removed (never the guest's disks). Idempotent.</li>
 * </ul>
 * One agent per state directory: a lock file enforces it.
 */
public final class QemuHypervisor implements Hypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(QemuHypervisor.class);
    private final QemuOptions options;
    private final CommandRunner runner;
    private final ProcFs proc;
    private final DomainIds ids;
    private final GuestCgroups cgroups;
    private final StateDirLock lock;
    private final Map<String, QemuDomain> domains = new ConcurrentHashMap<>();
    private final Map<String, Object> nameLocks = new ConcurrentHashMap<>();
    private volatile Accelerator accelerator;
    private volatile java.util.OptionalLong migrationBandwidth = java.util.OptionalLong.empty();

    /** A backend whose QEMUs stay in the caller's cgroup (tests, workstations): {@link GuestCgroups#NONE}. */
    public QemuHypervisor(QemuOptions options, CommandRunner runner) {
        this(options, runner, GuestCgroups.NONE);
    }

    /**
     * Takes the state directory and re-attaches to the QEMUs started from it before.
     *
     * @param cgroups where each QEMU is moved once started (and again on re-attach): a node agent in a pod passes
     *                {@link HostCgroups}, so that its guests outlive the pod
     * @throws HypervisorException when another agent holds the state directory
     */
    public QemuHypervisor(QemuOptions options, CommandRunner runner, GuestCgroups cgroups) {
        this.options = options;
        this.runner = runner;
        this.cgroups = cgroups;
        this.proc = new ProcFs(options.procRoot());
        Path dir = options.domainsDir();
        this.lock = StateDirLock.acquire(dir);
        this.ids = new DomainIds(dir.resolve("next-domain-id"));
        this.accelerator = options.accelerator() == Accelerator.AUTO ? null : options.accelerator();
        try {
            new QemuReattach(options, proc, ids, cgroups).reattachAll(d -> domains.put(d.name(), d));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Whether the emulator can be found: an executable absolute path, or a name on PATH. The backend selection
     * uses it to pick {@code qemu} when no {@code xl} is around.
     */
    public static boolean isInstalled(String qemuBinary) {
        if (qemuBinary.contains("/")) {
            return Files.isExecutable(Path.of(qemuBinary));
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, qemuBinary)));
    }

    @Override
    public String backendName() {
        return "qemu";
    }

    /** KVM or TCG: the configured one, or the probe's answer (probed once, on first use). */
    public Accelerator accelerator() {
        Accelerator resolved = accelerator;
        if (resolved == null) {
            synchronized (this) {
                if (accelerator == null) {
                    accelerator = AcceleratorProbe.detect(runner, options.qemuBinary(), Path.of("/dev/kvm"));
                }
                resolved = accelerator;
            }
        }
        return resolved;
    }

    /** The serial console log of a domain of ours (for support bundles and tests), if it has one. */
    public Optional<Path> consoleLog(String name) {
        return Optional.ofNullable(domains.get(name)).map(d -> d.paths().consoleLog()).filter(Files::exists);
    }

    @Override
    public Optional<io.domainoperator.hypervisor.ConsoleEndpoints> consoles(String name, int domainId) {
        return Optional.ofNullable(domains.get(name)).map(d -> QemuConsoles.of(d.record(), d.paths()));
    }

    @Override
    public Optional<Path> guestAgentSocket(String name) {
        return Optional.ofNullable(domains.get(name)).flatMap(d -> GuestAgentChannel.socketOf(d.record(), d.paths())).map(Path::of);
    }

    /** Lists every domain; each poll also keeps their serial logs under the cap ({@link ConsoleLog}). */
    @Override
    public List<DomainInfo> listDomains() {
        List<DomainInfo> infos = new ArrayList<>(domains.size());
        for (QemuDomain domain : domains.values()) {
            infos.add(domain.observe());
            ConsoleLog.keepBounded(domain.name(), domain.paths().consoleLog(), options.consoleLogMaxBytes());
        }
        infos.sort(Comparator.comparingInt(DomainInfo::domainId));
        return infos;
    }

    /** One domain over its own QMP socket: a QEMU that does not answer holds only the domain it runs. */
    @Override
    public Optional<DomainInfo> look(String name) {
        return Optional.ofNullable(domains.get(name)).map(QemuDomain::observe);
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        return start(definition, List.of(), null);
    }

    /** From a save image ({@link QemuSaveImage}): QEMU with {@code -incoming defer}, the image read in, paused. */
    @Override
    public DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        return start(definition, List.of(QemuSaveImage.INCOMING_ARGS), Path.of(imagePath));
    }

    @Override
    public void saveToFile(String name, String imagePath) {
        onLive("saveToFile", name, domain -> QemuSaveImage.save(domain.connected(), Path.of(imagePath),
            options.launchTimeout()), "saved to " + imagePath);
        destroy(name);
    }

    @Override
    public Optional<io.domainoperator.hypervisor.LiveMigration> liveMigration() {
        return Optional.of(new QemuLiveMigration(this));
    }

    /**
     * Caps outgoing live migrations at that many bytes per second (QEMU's {@code max-bandwidth}); empty leaves QEMU's
     * default. Tests slow a copy down with it so that a fault lands in the middle of it.
     */
    public QemuHypervisor limitMigrationBandwidth(java.util.OptionalLong bytesPerSecond) {
        this.migrationBandwidth = bytesPerSecond;
        return this;
    }

    java.util.OptionalLong migrationBandwidth() {
        return migrationBandwidth;
    }

    /** The domain of that name, or null, for {@link QemuLiveMigration}. */
    QemuDomain domainNamed(String name) {
        return domains.get(name);
    }

    /** Starts QEMU paused, with {@code extraArgs} after the rendered ones (an incoming migration's {@code -incoming}). */
    DomainInfo start(DomainDefinition definition, List<String> extraArgs) {
        return start(definition, extraArgs, null);
    }

    /** Starts QEMU paused with {@code extraArgs}; with an {@code image}, reads the saved guest from it. */
    private DomainInfo start(DomainDefinition definition, List<String> extraArgs, Path image) {
        String name = definition.name();
        if (name == null || !name.matches(Patterns.DOMAIN_NAME)) {
            throw new HypervisorException("createPaused", String.valueOf(name), "the name must match "
                + Patterns.DOMAIN_NAME + " (spec.displayName)");
        }
        synchronized (lockFor(name)) {
            DomainPaths paths = pathsOf(name);
            QemuDomain existing = domains.get(name);
            if (existing != null || Files.exists(paths.dir())) {
                throw new HypervisorException("createPaused", name, "a domain of that name already exists"
                    + (existing == null ? " (leftovers in " + paths.dir() + ")" : " (domain id "
                    + existing.record().domainId() + ", QEMU pid " + existing.pid() + ")") + "; destroy it first");
            }
            int socketBytes = paths.longestSocket().toString().getBytes(StandardCharsets.UTF_8).length;
            if (socketBytes > DomainPaths.MAX_SOCKET_PATH_BYTES) {
                throw new HypervisorException("createPaused", name, "the socket path " + paths.longestSocket() + " is "
                    + socketBytes + " bytes, over the unix socket limit of " + DomainPaths.MAX_SOCKET_PATH_BYTES
                    + "; use a shorter state directory");
            }
            Accelerator accel = accelerator();
            int domainId = ids.next();
            Launch launch;
            try {
                launch = QemuCommandLine.render(options.qemuBinary(), definition, domainId, paths, accel,
                    options.vifNetworking());
            } catch (IllegalArgumentException e) {
                throw new HypervisorException("createPaused", name, e.getMessage(), e);
            }
            for (TapAttachment tap : launch.taps()) {
                if (!Files.isDirectory(options.sysRoot().resolve("class/net").resolve(tap.bridge()).resolve("bridge"))) {
                    throw new HypervisorException("createPaused", name, "bridge " + tap.bridge() + " (spec.vifs) does not"
                        + " exist on this node; create it, or run the QEMU backend with user networking");
                }
            }
            if (!launch.unapplied().isEmpty()) {
                LOG.warn("domain {}: createPaused: QEMU cannot apply {}; they take effect on a Xen node only", name,
                    String.join(", ", launch.unapplied()));
            }
            List<String> argv = new ArrayList<>(launch.argv());
            argv.addAll(extraArgs);
            DomainRecord record = new DomainRecord(domainId, accel.name(), argv, definition);
            LOG.info("domain {}: createPaused: starting QEMU (domain id {}, {})", name, domainId, accel);
            try {
                Files.createDirectories(paths.dir());
                Files.writeString(paths.recordFile(), DomainRecord.JSON.writeValueAsString(record));
                if (GuestStopActions.needsEventLog(definition.lifecycle())) {
                    QemuEventLog.prepare(paths);
                }
                runner.run(argv, options.launchTimeout());
                long pid = paths.readPid().orElseThrow(() -> new IllegalStateException("QEMU wrote no pidfile"));
                cgroups.place(name, pid, QemuMemoryLimit.bytes(definition));
                QemuDomain domain = new QemuDomain(record, paths, pid, proc, options.qmpTimeout());
                domains.put(name, domain);
                if (image == null) {
                    domain.setInitialBalloon();
                } else {
                    QemuSaveImage.restore(domain.connected(), image, options.launchTimeout());
                }
                for (TapAttachment tap : launch.taps()) {
                    runner.run(List.of("ip", "link", "set", "dev", tap.tap(), "master", tap.bridge(), "up"),
                        options.qmpTimeout());
                }
                DomainInfo info = domain.observe();
                LOG.info("domain {}: createPaused: QEMU pid {} is {}", name, pid, info.state());
                return info;
            } catch (IOException | RuntimeException e) {
                LOG.warn("domain {}: createPaused failed, removing what was started: {}", name, e.getMessage());
                teardown(name, paths);
                throw new HypervisorException("createPaused", name,
                    "starting QEMU failed, nothing is left running: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void unpause(String name) {
        onLive("unpause", name, domain -> domain.execute("cont"), "cont sent");
    }

    @Override
    public void pause(String name) {
        onLive("pause", name, domain -> domain.execute("stop"), "stop sent");
    }

    @Override
    public void requestShutdown(String name) {
        onLive("requestShutdown", name, domain -> domain.execute("system_powerdown"), "system_powerdown sent");
    }

    /** CPU hotplug and the balloon ({@link QemuLiveResize}). */
    @Override
    public void resizeLive(String name, int vcpus, int memoryMiB) {
        onLive("resizeLive", name, domain -> domain.resize(vcpus, memoryMiB), vcpus + " vCPUs, " + memoryMiB + " MiB");
    }

    private void onLive(String operation, String name, Consumer<QemuDomain> action, String done) {
        synchronized (lockFor(name)) {
            QemuDomain domain = domains.get(name);
            if (domain == null) {
                throw new HypervisorException(operation, name, "no such domain of this QEMU backend");
            }
            if (!domain.processAlive()) {
                throw new HypervisorException(operation, name, "its QEMU (pid " + domain.pid() + ") is gone; destroy it");
            }
            try {
                action.accept(domain);
                LOG.info("domain {}: {}: {}", name, operation, done);
            } catch (QmpException | IllegalArgumentException | IllegalStateException e) {
                throw new HypervisorException(operation, name, e.getMessage(), e);
            }
        }
    }

    @Override
    public void destroy(String name) {
        synchronized (lockFor(name)) {
            DomainPaths paths = pathsOf(name);
            if (!domains.containsKey(name) && !Files.exists(paths.dir())) {
                LOG.debug("domain {}: destroy: already gone", name);
                return;
            }
            LOG.info("domain {}: destroy", name);
            teardown(name, paths);
        }
    }

    /** Ends the QEMU of this directory if one runs, forgets the domain and removes the directory. */
    private void teardown(String name, DomainPaths paths) {
        QemuDomain domain = domains.get(name);
        if (domain != null) {
            domain.markDestroying();
        }
        Optional<Long> pid = domain != null ? Optional.of(domain.pid()) : paths.readPid();
        if (pid.isPresent() && QemuDomain.isOurQemu(proc, pid.get(), paths)) {
            new QemuStopper(name, pid.get(), paths, proc, options.quitGrace()).stop(domain);
        }
        if (domain != null) {
            domain.close();
            domains.remove(name);
        }
        cgroups.remove(name);
        paths.deleteAll();
    }

    @Override
    public HostInfo hostInfo() {
        return QemuHostMemory.hostInfo(proc, domains.values());
    }

    /** Closes the QMP connections and releases the state directory; the QEMUs keep running. */
    @Override
    public void close() {
        domains.values().forEach(QemuDomain::close);
        domains.clear();
        lock.release();
    }

    private DomainPaths pathsOf(String name) {
        return new DomainPaths(options.domainsDir().resolve(name));
    }

    private Object lockFor(String name) {
        return nameLocks.computeIfAbsent(name, n -> new Object());
    }
}
