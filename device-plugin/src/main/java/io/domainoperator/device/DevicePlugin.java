package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's device assignment, after EVE's domainmgr: free NICs and USB controllers wait in the
 * passthrough driver, a domain's adapters move there with their IOMMU and assignmentGroup peers, all or
 * nothing, and nothing the host needs for its own network ever leaves it.
 *
 * <p>Every method that moves devices first finishes a move a previous process left in the journal. Assigns lock the
 * IOMMU groups they touch ({@link GroupLocks}): moves of unrelated groups run at once, each with its own record in the
 * journal, so all survive a crash; moves of one group wait for each other. Recovery, converge and release lock the
 * whole node. Everything else takes no lock: reading holders and devices (the journal is replaced atomically,
 * failures is concurrent), and asking again for adapters a domain already holds, so one slow bind holds up other
 * moves of its group only, never a status, a publish or a domain's idempotent re-assign.
 */
public final class DevicePlugin {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePlugin.class);
    private static final Duration MODPROBE_TIMEOUT = Duration.ofSeconds(30);

    private final Sysfs sysfs;
    private final CommandRunner commands;
    private final JournalEdits journal;
    private final PassthroughDriver driver;
    private final SysfsDiscovery discovery;
    private final UsbModules usbModules;
    /** Last failed move per device, for the adapters' DriverMove condition; forgotten when a later move works. */
    private final Map<String, MoveFailure> failures = new java.util.concurrent.ConcurrentHashMap<>();
    /** Held while devices move (or may move): see the class comment. */
    private final GroupLocks locks = new GroupLocks();
    /** The devices of the moves this process runs now; any other move in the journal was left by a crash. */
    private final Set<List<DeviceMove>> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param sysfs    the node's sysfs ({@code new RootedSysfs(Path.of("/sys"))})
     * @param commands runs modprobe and rmmod
     * @param journal  survives agent restarts, not reboots ({@code /run/domain-operator/devices.json})
     * @param driver   {@link PassthroughDriver#PCIBACK} for xl, {@link PassthroughDriver#VFIO_PCI} for QEMU
     */
    public DevicePlugin(Sysfs sysfs, CommandRunner commands, DeviceJournal journal, PassthroughDriver driver) {
        this.sysfs = Objects.requireNonNull(sysfs, "sysfs");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.journal = new JournalEdits(Objects.requireNonNull(journal, "journal"));
        this.driver = Objects.requireNonNull(driver, "driver");
        this.discovery = new SysfsDiscovery(sysfs);
        this.usbModules = new UsbModules(sysfs, commands);
    }

    public PassthroughDriver driver() {
        return driver;
    }

    public HostDevices scan() {
        return discovery.scan();
    }

    /** Devices, holders and move failures at one moment, for {@link AdapterPublisher#publish}. */
    public NodeSnapshot snapshot() {
        return new NodeSnapshot(discovery.scan(), journal.load().holders(), Map.copyOf(failures));
    }

    /** PCI address to the domain (ns/name) holding it. */
    public Map<String, String> holders() {
        return journal.load().holders();
    }

    /** Long-form addresses a domain holds, sorted: {@code DomainDefinition.pciAddresses}. */
    public List<String> pciAddressesOf(String domain) {
        return journal.load().holders().entrySet().stream().filter(e -> e.getValue().equals(domain))
            .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * Finishes a move an earlier process left half done (a crash between unbind and bind, say).
     *
     * @return the failure if the move could not be finished and was rolled back, or had to stay pending
     */
    public Optional<MoveFailure> recover() {
        try (GroupLocks.Held node = locks.node()) {
            Optional<MoveFailure> first = Optional.empty();
            for (PendingMove pending : journal.load().inFlight()) {
                Optional<MoveFailure> f = track(pending, newMover().resume(pending));
                first = first.or(() -> f);
            }
            return first;
        }
    }

    private GroupMover newMover() {
        return new GroupMover(sysfs, driver, journal);
    }

    /** A move of this process: not taken for a crash's leftover while it runs. */
    private Optional<MoveFailure> run(PendingMove move) {
        running.add(move.devices());
        try {
            return newMover().run(move);
        } finally {
            running.remove(move.devices());
        }
    }

    /** Agent start: repair what a crash left, then put every free device where EVE keeps it. */
    public ConvergeReport start(NodeView view) {
        try (GroupLocks.Held node = locks.node()) {
            Optional<MoveFailure> recovered = recover();
            ConvergeReport report = converge(view);
            if (recovered.isEmpty()) {
                return report;
            }
            List<MoveFailure> failures = new ArrayList<>(report.failures());
            failures.addFirst(recovered.get());
            return new ConvergeReport(report.moved(), failures, report.moduleFailures());
        }
    }

    /**
     * Moves the named adapters, with every IOMMU-group and assignmentGroup peer, to the passthrough driver and
     * records the domain as their holder. Idempotent: asking again for what the domain holds changes nothing.
     */
    public AssignmentOutcome assign(String domain, List<String> adapterNames, NodeView view) {
        return assign(domain, adapterNames, () -> view);
    }

    /**
     * As {@link #assign(String, List, NodeView)}, with the node read once the lock is held. Which domains are active
     * must be as fresh as the holders it is checked against: a view read before waiting for another move may miss a
     * holder whose create started meanwhile ({@link #notHeldBy} passed it), and the device would go to a second
     * domain while the first one runs with it.
     */
    public AssignmentOutcome assign(String domain, List<String> adapterNames, Supplier<NodeView> view) {
        Optional<AssignmentOutcome> settled = settledAssignment(domain, adapterNames, view.get());
        if (settled.isPresent()) {
            return settled.get();
        }
        Optional<MoveFailure> stuck = leftoverMove();
        if (stuck.isPresent()) {
            return new AssignmentOutcome.Failed(domain, stuck.get());
        }
        java.util.SortedSet<String> keys = GroupLocks.keys(discovery.scan(),
            MoveGroups.closure(adapterNames, view.get().adapters(), discovery.scan()).addresses());
        for (;;) {
            try (GroupLocks.Held held = locks.groups(keys)) {
                // Read under the locks: see above. The group may have grown meanwhile (an assignmentGroup peer added).
                NodeView fresh = view.get();
                HostDevices devices = discovery.scan();
                MoveGroups.Group group = MoveGroups.closure(adapterNames, fresh.adapters(), devices);
                java.util.SortedSet<String> needed = GroupLocks.keys(devices, group.addresses());
                if (held.keys().containsAll(needed)) {
                    return assignLocked(domain, group, devices, fresh);
                }
                keys = new java.util.TreeSet<>(needed);
                keys.addAll(held.keys());
            }
        }
    }

    /**
     * A move in the journal that no move of this process owns (a crash left it): finished or rolled back first, under
     * the whole node's lock, as before any move; its failure when it could be neither.
     */
    private Optional<MoveFailure> leftoverMove() {
        if (journal.load().inFlight().stream().allMatch(m -> running.contains(m.devices()))) {
            return Optional.empty();
        }
        try (GroupLocks.Held node = locks.node()) {
            return unfinishedMove();
        }
    }

    /**
     * Of these PCI addresses, those the domain does not hold now; empty when it holds them all. Asked just before a
     * create passes them through, under the lock that serialises assigns: a create decided while the domain held
     * its GPU must not run once another domain was given it (between boot attempts a holder without a domain may be
     * taken over), and an assign that starts after this answer sees the creating domain as active.
     */
    public List<String> notHeldBy(String domain, List<String> pciAddresses) {
        if (pciAddresses.isEmpty()) {
            return List.of();
        }
        try (GroupLocks.Held held = locks.groups(GroupLocks.keys(discovery.scan(), pciAddresses))) {
            Map<String, String> holders = journal.load().holders();
            return pciAddresses.stream().filter(a -> !domain.equals(holders.get(a))).toList();
        }
    }

    /**
     * The answer that needs no move, or empty: adapters the domain already holds, bound to the passthrough driver
     * (an idempotent re-ask). Reads only, so it needs no lock; a move in flight that touches one of these devices
     * (this process's or one a crash left) makes it empty, a move of other devices does not.
     */
    private Optional<AssignmentOutcome> settledAssignment(String domain, List<String> adapterNames, NodeView view) {
        JournalState state = journal.load();
        HostDevices devices = discovery.scan();
        MoveGroups.Group group = MoveGroups.closure(adapterNames, view.adapters(), devices);
        if (state.inFlight().stream().anyMatch(p -> p.devices().stream().anyMatch(d -> group.addresses().contains(d.address())))) {
            return Optional.empty();
        }
        Map<String, String> holders = state.holders();
        Set<Refusal> refusals = refusals(domain, group, holders, view);
        if (!refusals.isEmpty()) {
            return Optional.empty(); // refused under the lock, where a refusal is also logged once
        }
        boolean done = group.members().stream().allMatch(m -> m.device().boundTo(driver.name())
            && domain.equals(holders.get(m.address())));
        return done ? Optional.of(new AssignmentOutcome.Assigned(domain, holders.entrySet().stream()
            .filter(e -> e.getValue().equals(domain)).map(Map.Entry::getKey).sorted().toList())) : Optional.empty();
    }

    private Set<Refusal> refusals(String domain, MoveGroups.Group group, Map<String, String> holders, NodeView view) {
        Set<Refusal> refusals = new LinkedHashSet<>(group.refusals());
        for (MoveGroups.Member m : group.members()) {
            AssignmentRules.refusal(m.adapter(), m.device().ifname(), view.policy()).ifPresent(refusals::add);
            noIommuGroup(m).ifPresent(refusals::add);
            String holder = holders.get(m.address());
            if (holder != null && !holder.equals(domain) && view.activeDomains().contains(holder)) {
                refusals.add(new Refusal(m.name(), m.address(), Refusal.Rule.HELD_BY_OTHER_DOMAIN,
                    "adapter " + m.name() + " (" + m.address() + ") is held by running domain " + holder
                        + "; it becomes free when that domain stops"));
            }
        }
        return refusals;
    }

    private AssignmentOutcome assignLocked(String domain, MoveGroups.Group group, HostDevices devices, NodeView view) {
        Map<String, String> holders = journal.load().holders();
        Set<Refusal> refusals = refusals(domain, group, holders, view);
        if (!refusals.isEmpty()) {
            LOG.info("assign {}: refused: {}", domain, refusals.stream().map(Refusal::message).toList());
            return new AssignmentOutcome.Refused(domain, List.copyOf(refusals));
        }
        boolean done = group.members().stream().allMatch(m -> m.device().boundTo(driver.name())
            && domain.equals(holders.get(m.address())));
        if (!done) {
            PendingMove move = new PendingMove("assign " + domain, group.members().stream()
                .map(m -> new DeviceMove(m.address(), m.device().driver(), DeviceMove.Destination.PASSTHROUGH))
                .toList(), domain, false, null);
            Optional<MoveFailure> failure = track(move, ensurePassthroughDriver(group.addresses())
                .or(() -> run(move)));
            if (failure.isPresent()) {
                return new AssignmentOutcome.Failed(domain, failure.get());
            }
        }
        return new AssignmentOutcome.Assigned(domain, pciAddressesOf(domain));
    }

    /** The domain stopped: it holds nothing any more, and its devices go home (the host or the passthrough driver). */
    public ConvergeReport release(String domain, NodeView view) {
        try (GroupLocks.Held node = locks.node()) {
            Map<String, String> holders = new HashMap<>(journal.load().holders());
            if (holders.values().removeIf(domain::equals)) {
                journal.edit(s -> s.withHolders(holders));
                LOG.info("release {}: released its adapters", domain);
            }
            return converge(view);
        }
    }

    /**
     * Puts every free device group where it belongs now: at agent start, after a release, when dom0's
     * management ports change, and when {@code debug.enable.usb} is toggled. Groups held by an active domain
     * are not touched. With the knob on, the USB modules are loaded before controllers come back to the host;
     * with it off, they are unloaded once no controller is left with a host driver.
     */
    public ConvergeReport converge(NodeView view) {
        try (GroupLocks.Held node = locks.node()) {
            Optional<MoveFailure> stuck = unfinishedMove();
            if (stuck.isPresent()) {
                return new ConvergeReport(List.of(), List.of(stuck.get()), List.of());
            }
            Map<String, String> holders = dropStaleHolders(view.activeDomains());
            List<String> moduleFailures = new ArrayList<>();
            if (view.policy().usbDebugEnabled()) {
                moduleFailures.addAll(usbModules.load());
            }
            List<String> moved = new ArrayList<>();
            List<MoveFailure> failures = new ArrayList<>();
            HostDevices devices = discovery.scan();
            for (MoveGroups.Group group : MoveGroups.partition(view.adapters(), devices)) {
                if (group.members().stream().anyMatch(m -> holders.containsKey(m.address()))) {
                    continue;
                }
                boolean toPassthrough = group.refusals().isEmpty() && group.members().stream().allMatch(m ->
                    AssignmentRules.home(m.adapter(), m.device().ifname(), view.policy()) == AssignmentRules.Home.PASSTHROUGH
                        && noIommuGroup(m).isEmpty());
                List<MoveGroups.Member> away = group.members().stream()
                    .filter(m -> toPassthrough != m.device().boundTo(driver.name())).toList();
                // A device with no driver and no home in the passthrough driver is left alone: nothing would bind it.
                if (away.isEmpty() || (!toPassthrough && away.stream().allMatch(m -> m.device().driver() == null))) {
                    continue;
                }
                DeviceMove.Destination to = toPassthrough ? DeviceMove.Destination.PASSTHROUGH : DeviceMove.Destination.HOST;
                List<DeviceMove> moves = group.members().stream()
                    .filter(m -> toPassthrough || m.device().driver() != null)
                    .map(m -> new DeviceMove(m.address(), m.device().driver(), to)).toList();
                PendingMove move = new PendingMove("converge " + to.name().toLowerCase(Locale.ROOT), moves, null, false, null);
                Optional<MoveFailure> failure = track(move,
                    (toPassthrough ? ensurePassthroughDriver(group.addresses()) : Optional.<MoveFailure>empty())
                        .or(() -> run(move)));
                failure.ifPresentOrElse(failures::add, () -> away.forEach(m -> moved.add(m.address())));
            }
            if (!view.policy().usbDebugEnabled() && noUsbControllerInHost()) {
                moduleFailures.addAll(usbModules.unload());
            }
            return new ConvergeReport(moved, failures, moduleFailures);
        }
    }

    private Optional<Refusal> noIommuGroup(MoveGroups.Member m) {
        return AssignmentRules.driverRefusal(m.adapter(), m.device(), driver);
    }

    private Optional<MoveFailure> track(PendingMove move, Optional<MoveFailure> failure) {
        move.devices().forEach(d -> failure.ifPresentOrElse(f -> failures.put(d.address(), f),
            () -> failures.remove(d.address())));
        return failure;
    }

    private Optional<MoveFailure> unfinishedMove() {
        return journal.load().pending() == null ? Optional.empty()
            : recover().filter(f -> !f.rolledBack() && journal.load().pending() != null);
    }

    private Map<String, String> dropStaleHolders(Set<String> activeDomains) {
        Map<String, String> holders = new HashMap<>(journal.load().holders());
        if (holders.values().removeIf(h -> !activeDomains.contains(h))) {
            LOG.info("converge: forgetting holders that are no longer active domains");
            journal.edit(s -> s.withHolders(holders));
        }
        return holders;
    }

    private boolean noUsbControllerInHost() {
        return discovery.scan().pci().stream().noneMatch(d -> d.type() == AdapterType.USBController
            && d.driver() != null && !d.boundTo(driver.name()));
    }

    private Optional<MoveFailure> ensurePassthroughDriver(List<String> addresses) {
        String dir = "bus/pci/drivers/" + driver.name();
        if (sysfs.exists(dir)) {
            return Optional.empty();
        }
        String detail;
        try {
            var r = commands.runAllowingFailure(List.of("modprobe", driver.module()), MODPROBE_TIMEOUT);
            detail = r.succeeded() ? "modprobe succeeded but " + dir + " did not appear" : r.stderr().strip();
        } catch (CommandException e) {
            detail = e.getMessage();
        }
        if (sysfs.exists(dir)) {
            LOG.info("loaded {} for passthrough", driver.module());
            return Optional.empty();
        }
        return Optional.of(new MoveFailure(String.join(",", addresses), "modprobe",
            "passthrough driver " + driver.name() + " is not available (" + detail + "); is this a Xen dom0 with "
                + driver.module() + " / an IOMMU-enabled kernel?", true));
    }
}
