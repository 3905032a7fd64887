package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last word on whether a device may leave its host driver, said at the sysfs write that would take it away.
 *
 * <p>The plugin decides a move from a {@link NodeView} taken when the call began; an administrator's
 * {@code keepInHost}, or a route that makes a NIC the node's management port, can arrive while the move waits for
 * the lock or while another device of its group moves. So every write that would take a device towards the
 * passthrough driver (its {@code driver_override}, {@code new_slot} and {@code bind} there, an {@code unbind} from a
 * host driver) is checked first against the newest knowledge: the newest PhysicalIOAdapter object the agent has
 * (its informer cache, not the view the move started with), the management ports as the node finds them now, and
 * the interface name sysfs shows now. A device the rules keep in the host makes the write fail, the move rolls its
 * group back, and the domain gets nothing. Writes of a rollback are never refused: putting a device back where it
 * was is always safe, and refusing it could leave a move half done.
 */
public final class HostKeptDevices implements Sysfs {
    private static final Pattern OVERRIDE = Pattern.compile("bus/pci/devices/([^/]+)/driver_override");
    private static final Pattern DRIVER_ATTR = Pattern.compile("bus/pci/drivers/([^/]+)/(unbind|bind|new_slot)");

    private final Sysfs sysfs;
    private final PassthroughDriver driver;
    private final Supplier<? extends Collection<PhysicalIOAdapter>> newestAdapters;
    private final Supplier<Set<String>> managementPorts;
    private final DeviceJournal journal;
    private final SysfsDiscovery discovery;

    /**
     * @param newestAdapters  this node's adapters as the agent knows them now (each call reads afresh)
     * @param managementPorts the node's management ports as found now (declared and behind the default routes)
     * @param journal         the device journal, to tell a rollback's writes from a move's
     */
    public HostKeptDevices(Sysfs sysfs, PassthroughDriver driver, Supplier<? extends Collection<PhysicalIOAdapter>> newestAdapters,
                           Supplier<Set<String>> managementPorts, DeviceJournal journal) {
        this.sysfs = sysfs;
        this.driver = driver;
        this.newestAdapters = newestAdapters;
        this.managementPorts = managementPorts;
        this.journal = journal;
        this.discovery = new SysfsDiscovery(sysfs);
    }

    @Override
    public void write(String path, String value) {
        String address = takenFromHost(path, value.strip());
        if (address != null && !rollingBack(address)) {
            refusal(address).ifPresent(r -> {
                throw new SysfsException(path, "not written: " + r.message() + " (seen while the move ran)", null);
            });
        }
        sysfs.write(path, value);
    }

    /** The device the write would take from the host, or null for writes that leave it there or bring it back. */
    private String takenFromHost(String path, String value) {
        Matcher m = OVERRIDE.matcher(path);
        if (m.matches()) {
            return value.equals(driver.name()) ? m.group(1) : null;
        }
        m = DRIVER_ATTR.matcher(path);
        if (!m.matches()) {
            return null;
        }
        boolean passthrough = m.group(1).equals(driver.name());
        return switch (m.group(2)) {
            case "unbind" -> passthrough ? null : value;
            default -> passthrough ? value : null;
        };
    }

    /** A rollback of a move of this device (moves of other groups may run at once, forward). */
    private boolean rollingBack(String address) {
        return journal.load().inFlight().stream().anyMatch(p -> p.rollingBack()
            && p.devices().stream().anyMatch(d -> d.address().equals(address)));
    }

    /** The rule that keeps this device in the host now, if any. */
    Optional<Refusal> refusal(String address) {
        HostPolicy now = new HostPolicy(managementPorts.get(), false);
        String liveIfname = discovery.pci(address).map(PciDevice::ifname).orElse(null);
        List<PhysicalIOAdapter> adapters = newestAdapters.get().stream()
            .filter(a -> a.getSpec() != null && address.equals(a.getSpec().getPciAddress())).toList();
        for (PhysicalIOAdapter a : adapters) {
            Optional<Refusal> r = AssignmentRules.refusal(a, liveIfname, now);
            if (r.isPresent()) {
                return r;
            }
        }
        if (liveIfname != null && now.managementPorts().contains(liveIfname)) {
            return Optional.of(new Refusal(address, address, Refusal.Rule.MANAGEMENT_PORT, "device " + address + " is "
                + liveIfname + ", a management port of dom0; passing it through would cut the node off"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> read(String path) {
        return sysfs.read(path);
    }

    @Override
    public List<String> list(String dir) {
        return sysfs.list(dir);
    }

    @Override
    public Optional<String> readlink(String path) {
        return sysfs.readlink(path);
    }

    @Override
    public boolean exists(String path) {
        return sysfs.exists(path);
    }
}
