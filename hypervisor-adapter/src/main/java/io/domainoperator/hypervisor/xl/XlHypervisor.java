package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.AtomicFiles;
import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Xen backend: drives the {@code xl} tool through {@link CommandRunner}, so every call is an argv that tests
 * can check and every failure carries xl's stderr.
 *
 * <p>Domains are looked up by name in the full {@code xl list -v} and then addressed by domid, so a command hits
 * the domain that was checked and all-digit names cannot be mistaken for domids.
 *
 * <ul>
 *   <li>create: remove stale xenstore backends of dead domains ({@link StaleBackends}), render the file
 *       ({@link XlConfigRenderer}, on_* = preserve), write it atomically to {@code <runDir>/<name>.cfg}, record the
 *       uuid in the registry, {@code xl create -p <file>}.</li>
 *   <li>unpause / pause / shutdown / destroy: {@code xl <op> <domid>} after checking the domain is ours. The domid
 *       (not the name) is passed so that the command hits the domain that was checked.</li>
 *   <li>poll: one {@code xl list -v} for all domains (see {@link XlListOutput} for why not {@code -l}).</li>
 * </ul>
 */
public final class XlHypervisor implements Hypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(XlHypervisor.class);

    /**
     * @param runDir          where domain files and the registry live (EVE: /run/domainmgr/xen)
     * @param xl              the xl executable
     * @param commandTimeout  for list, info, pause, unpause, shutdown, destroy
     * @param createTimeout   for create, which builds the domain and starts device models
     * @param xenstoreRead    the xenstore-read executable, for console endpoints
     * @param xenstoreLs      Xen's {@code xenstore-ls}, to find stale backends before a create
     * @param xenstoreRm      Xen's {@code xenstore-rm}, to remove them
     */
    public record Settings(Path runDir, String xl, Duration commandTimeout, Duration createTimeout, String xenstoreRead,
                           String xenstoreLs, String xenstoreRm) {
        public static final Path DEFAULT_RUN_DIR = Path.of("/run/domainmgr/xen");

        public Settings {
            Objects.requireNonNull(runDir, "runDir");
            Objects.requireNonNull(xl, "xl");
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(createTimeout, "createTimeout");
            Objects.requireNonNull(xenstoreRead, "xenstoreRead");
            Objects.requireNonNull(xenstoreLs, "xenstoreLs");
            Objects.requireNonNull(xenstoreRm, "xenstoreRm");
        }

        /** With the xenstore tools on the PATH. */
        public Settings(Path runDir, String xl, Duration commandTimeout, Duration createTimeout) {
            this(runDir, xl, commandTimeout, createTimeout, "xenstore-read", "xenstore-ls", "xenstore-rm");
        }

        public Settings withXenstoreRead(String executable) {
            return new Settings(runDir, xl, commandTimeout, createTimeout, executable, xenstoreLs, xenstoreRm);
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_RUN_DIR, "xl", Duration.ofSeconds(30), Duration.ofSeconds(120));
        }

        public Settings withRunDir(Path dir) {
            return new Settings(dir, xl, commandTimeout, createTimeout, xenstoreRead, xenstoreLs, xenstoreRm);
        }

        public Settings withXl(String executable) {
            return new Settings(runDir, executable, commandTimeout, createTimeout, xenstoreRead, xenstoreLs, xenstoreRm);
        }

        public Settings withXenstoreTools(String ls, String rm) {
            return new Settings(runDir, xl, commandTimeout, createTimeout, xenstoreRead, ls, rm);
        }
    }

    private final CommandRunner runner;
    private final Settings settings;
    private final DomainRegistry registry;
    private final XlConsoles consoles;
    private final StaleBackends staleBackends;

    public XlHypervisor(CommandRunner runner, Settings settings) {
        this(runner, settings, XlConsoles.XENCONSOLED_LOG_DIR);
    }

    /** @param consoleLogDir where xenconsoled writes guest-NAME.log (a temp dir in tests) */
    XlHypervisor(CommandRunner runner, Settings settings, Path consoleLogDir) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = new DomainRegistry(settings.runDir().resolve("domains.registry"));
        this.consoles = new XlConsoles(runner, settings.xenstoreRead(), settings.commandTimeout(), consoleLogDir);
        this.staleBackends = new StaleBackends(runner, settings.xenstoreLs(), settings.xenstoreRm(),
            settings.commandTimeout());
    }

    /** From xenstore, once per domain id: the pty {@code xl console} attaches to, the VNC address and port. */
    @Override
    public Optional<io.domainoperator.hypervisor.ConsoleEndpoints> consoles(String name, int domainId) {
        return domainId <= 0 ? Optional.empty() : Optional.of(consoles.of(name, domainId));
    }

    @Override
    public String backendName() {
        return "xl";
    }

    /** Where the domain's file is written. */
    public Path configFile(String name) {
        return settings.runDir().resolve(name + ".cfg");
    }

    @Override
    public java.util.Optional<String> configFileOf(String name) {
        Path file = configFile(name);
        return Files.exists(file) ? java.util.Optional.of(file.toString()) : java.util.Optional.empty();
    }

    @Override
    public List<DomainInfo> listDomains() {
        CommandResult result = xl("list", "?", settings.commandTimeout(), "list", "-v");
        return toInfos(parse("list", "?", result));
    }

    /**
     * {@code xl list -v <name>}: that domain's line alone (xl reads one domain, not the list of all), or empty when xl
     * says no domain has the name ({@link XlLook}). A name xl would not read as a name is looked up in the full list.
     */
    @Override
    public Optional<DomainInfo> look(String name) {
        if (!XlLook.askableByName(name)) {
            return Hypervisor.super.look(name);
        }
        CommandResult result;
        try {
            result = runner.run(argv("list", "-v", name), settings.commandTimeout());
        } catch (CommandException e) {
            if (XlLook.saysMissing(e, name)) {
                return Optional.empty();
            }
            throw new HypervisorException("look", name, e.getMessage(), e);
        }
        return toInfos(parse("look", name, result)).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        return start(definition, null);
    }

    /** {@code xl restore -p <file> <image>}: the saved guest, paused, from the xl file rendered as for a create. */
    @Override
    public DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        return start(definition, imagePath);
    }

    /** {@code xl save <domid> <image>}: xl writes the image and destroys the domain; then it is forgotten here. */
    @Override
    public void saveToFile(String name, String imagePath) {
        DomainInfo info = requireOurs("save", find("save", name).orElseThrow(() ->
            new HypervisorException("save", name, "no such domain")));
        LOG.info("save {}: xl save {} {}", name, info.domainId(), imagePath);
        xl("save", name, settings.createTimeout(), "save", Integer.toString(info.domainId()), imagePath);
        destroy(name);
    }

    private DomainInfo start(DomainDefinition definition, String image) {
        String name = definition.name();
        // Backends first, then the domains: see StaleBackends for why this order never removes a live domain's.
        var backends = staleBackends.list(name);
        List<DomainInfo> domains = toInfos(parse("create", name, xl("create", name, settings.commandTimeout(), "list", "-v")));
        staleBackends.removeDead(name, backends, domains.stream().map(DomainInfo::domainId)
            .collect(java.util.stream.Collectors.toSet()));
        Optional<DomainInfo> existing = domains.stream().filter(d -> d.name().equals(name)).findFirst();
        if (existing.isPresent()) {
            throw new HypervisorException("create", name, existing.get().ours()
                ? "a domain of ours with this name exists already (domid " + existing.get().domainId() + "); destroy it first"
                : "a foreign domain with this name exists (domid " + existing.get().domainId() + "); the operator will not touch it, rename one of them");
        }
        String text;
        try {
            text = XlConfigRenderer.renderText(definition, XlConfigRenderer.Mode.OPERATOR);
        } catch (XlRenderException e) {
            throw new HypervisorException("create", name, "cannot write the xl file: " + e.getMessage(), e);
        }
        Path file = configFile(name);
        try {
            AtomicFiles.write(file, text);
            registry.add(new DomainRegistry.Entry(definition.uuid(), name,
                definition.maxMemory().bytes()));
        } catch (java.io.UncheckedIOException e) {
            throw new HypervisorException("create", name, e.getMessage() + " (" + e.getCause().getMessage()
                + "); the run dir " + settings.runDir() + " must be writable", e);
        }
        if (image == null) {
            LOG.info("create {}: xl create -p {}", name, file);
            xl("create", name, settings.createTimeout(), "create", "-p", file.toString());
        } else {
            LOG.info("restore {}: xl restore -p {} {}", name, file, image);
            xl("restore", name, settings.createTimeout(), "restore", "-p", file.toString(), image);
        }
        return find("create", name).orElseThrow(() -> new HypervisorException("create", name,
            "xl create -p succeeded but `xl list` does not show the domain"));
    }

    @Override
    public void unpause(String name) {
        act("unpause", name, "unpause");
    }

    @Override
    public void pause(String name) {
        act("pause", name, "pause");
    }

    /** {@code xl vcpu-set <domid> N} then {@code xl mem-set <domid> Nm}: both within the domain's maxvcpus/maxmem. */
    @Override
    public void resizeLive(String name, int vcpus, int memoryMiB) {
        DomainInfo info = requireOurs("resizeLive", find("resizeLive", name).orElseThrow(() ->
            new HypervisorException("resizeLive", name, "no such domain")));
        String domid = Integer.toString(info.domainId());
        LOG.info("resizeLive {}: xl vcpu-set {} {}; xl mem-set {} {}m", name, domid, vcpus, domid, memoryMiB);
        xl("resizeLive", name, settings.commandTimeout(), "vcpu-set", domid, Integer.toString(vcpus));
        xl("resizeLive", name, settings.commandTimeout(), "mem-set", domid, memoryMiB + "m");
    }

    /**
     * {@code xl shutdown -F <domid>}: without {@code -w}, so it returns at once and the reconciler times the guest;
     * with {@code -F}, so an HVM guest without PV drivers gets an ACPI power-button event instead of xl refusing
     * ("PV control interface not available").
     */
    @Override
    public void requestShutdown(String name) {
        act("shutdown", name, "shutdown", "-F");
    }

    @Override
    public void destroy(String name) {
        Optional<DomainInfo> domain = find("destroy", name);
        if (domain.isEmpty()) {
            LOG.debug("destroy {}: already gone", name);
            forget(name, null);
            return;
        }
        DomainInfo info = requireOurs("destroy", domain.get());
        LOG.info("destroy {}: xl destroy {}", name, info.domainId());
        CommandResult result = runner.runAllowingFailure(argv("destroy", Integer.toString(info.domainId())), settings.commandTimeout());
        if (!result.succeeded() && find("destroy", name).filter(d -> d.domainId() == info.domainId()).isPresent()) {
            throw new HypervisorException("destroy", name, "`" + String.join(" ", result.argv()) + "` exited with "
                + result.exitCode() + ": " + result.stderr().strip(),
                new CommandException(result.argv(), result.exitCode(), result.stderr(), "exited with " + result.exitCode(), null));
        }
        forget(name, info.uuid());
    }

    @Override
    public HostInfo hostInfo() {
        CommandResult info = xl("info", "host", settings.commandTimeout(), "info");
        long dom0Nanos = parse("info", "host", xl("info", "host", settings.commandTimeout(), "list", "-v")).stream()
            .filter(e -> e.domainId() == 0).mapToLong(XlListOutput.Entry::cpuTimeNanos).findFirst().orElse(0);
        try {
            return XlListOutput.parseInfo(info.stdout(), dom0Nanos);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException("info", "host", e.getMessage(), e);
        }
    }

    private void act(String operation, String name, String... command) {
        DomainInfo info = requireOurs(operation, find(operation, name).orElseThrow(() ->
            new HypervisorException(operation, name, "no such domain")));
        List<String> args = new ArrayList<>(List.of(command));
        args.add(Integer.toString(info.domainId()));
        LOG.info("{} {}: xl {}", operation, name, String.join(" ", args));
        xl(operation, name, settings.commandTimeout(), args.toArray(String[]::new));
    }

    private DomainInfo requireOurs(String operation, DomainInfo info) {
        if (!info.ours()) {
            throw new HypervisorException(operation, info.name(), "domain " + info.domainId() + " (uuid " + info.uuid()
                + ") was not created by this operator; it is never touched");
        }
        return info;
    }

    /**
     * One domain by name, from the full {@code xl list -v}. Not {@code xl list -v <name>}: xl reads an all-digit
     * argument as a domid, and reports an unknown name only through stderr text ("is an invalid domain
     * identifier"), which is no contract to build on.
     */
    private Optional<DomainInfo> find(String operation, String name) {
        CommandResult result = xl(operation, name, settings.commandTimeout(), "list", "-v");
        return toInfos(parse(operation, name, result)).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private List<DomainInfo> toInfos(List<XlListOutput.Entry> entries) {
        List<DomainInfo> infos = new ArrayList<>(entries.size());
        for (XlListOutput.Entry e : entries) {
            Optional<DomainRegistry.Entry> ours = e.domainId() == 0 ? Optional.empty() : registry.get(e.uuid());
            infos.add(new DomainInfo(e.domainId(), e.name(), e.uuid(), e.state(), e.cpuTimeNanos(), e.vcpus(),
                e.memoryBytes(), ours.map(DomainRegistry.Entry::maxMemoryBytes).orElse(e.memoryBytes()), ours.isPresent()));
        }
        return infos;
    }

    private void forget(String name, java.util.UUID uuid) {
        consoles.forget(name);
        if (uuid != null) {
            registry.remove(uuid);
        } else {
            registry.removeByName(name); // gone before we looked: drop what a failed create may have left
        }
        try {
            Files.deleteIfExists(configFile(name));
        } catch (IOException e) {
            LOG.warn("destroy {}: could not remove {}: {}", name, configFile(name), e.toString());
        }
    }

    private List<XlListOutput.Entry> parse(String operation, String name, CommandResult result) {
        try {
            return XlListOutput.parseList(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(operation, name, e.getMessage(), e);
        }
    }

    /**
     * Live migration with {@code xl migrate} / {@code migrate-receive}; the agent's {@code migration-pipe} command is
     * the channel between the two nodes ({@link XlLiveMigration}).
     */
    @Override
    public synchronized java.util.Optional<io.domainoperator.hypervisor.LiveMigration> liveMigration() {
        // One for the backend's life: it holds the copies it runs and receives (the agent asks for it at every step).
        if (live == null || !live.transport().equals(migrationTransport)) {
            live = liveMigration(migrationTransport);
        }
        return java.util.Optional.of(live);
    }

    private XlLiveMigration live;

    /** The source's channel command, followed by HOST PORT; see {@link #migrationTransport(List)}. */
    private volatile List<String> migrationTransport = List.of("domain-operator", "migration-pipe");

    /**
     * The command {@code xl migrate -s ""} runs on this node to reach the target, HOST and PORT appended: the agent's
     * own {@code migration-pipe} (the image has no {@code domain-operator} on PATH, only java and the jar, so the agent
     * passes the command line it was started with). Before {@link #liveMigration()} is used.
     */
    public XlHypervisor migrationTransport(List<String> command) {
        this.migrationTransport = List.copyOf(command);
        return this;
    }

    /** Records a domain that arrives by migration as ours, as a create does, before it exists. */
    void claimIncoming(DomainDefinition definition) {
        registry.add(new DomainRegistry.Entry(definition.uuid(), definition.name(), definition.maxMemory().bytes()));
    }

    /** As above, with another transport command (tests). */
    XlLiveMigration liveMigration(List<String> transport) {
        return new XlLiveMigration(this, settings.xl(), settings.runDir(), transport, this::claimIncoming);
    }

    private CommandResult xl(String operation, String name, Duration timeout, String... args) {
        try {
            return runner.run(argv(args), timeout);
        } catch (CommandException e) {
            throw new HypervisorException(operation, name, e.getMessage(), e);
        }
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(settings.xl());
        argv.addAll(List.of(args));
        return argv;
    }
}
