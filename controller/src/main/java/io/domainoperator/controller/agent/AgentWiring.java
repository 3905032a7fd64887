package io.domainoperator.controller.agent;

import io.domainoperator.controller.cli.Main;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.GuestCgroups;
import io.domainoperator.hypervisor.qemu.HostCgroups;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import io.domainoperator.hypervisor.qemu.QemuOptions;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorFaults;
import io.domainoperator.hypervisor.xl.XlHypervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.HypervisorFactory;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node agent's start-up wiring, in one place: the hypervisor backend ({@link HypervisorFactory} chooses it),
 * the adapter assigner (the device plugin, only with {@code --device-passthrough}) and the {@link NodeAgent}
 * that uses both. The agent hands the assigner its own view of active domains when it builds it, so there is no
 * cycle to break; knob changes reach the assigner through {@link AdapterAssigner#knobsChanged}.
 */
public final class AgentWiring {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentWiring.class);
    /** The group in every cgroup hierarchy of the host that holds one group per domain's QEMU. */
    public static final String GUEST_CGROUP_PARENT = "domain-operator";
    /**
     * TEST ONLY: another parent group for this agent's guests. Two agents on one host (the e2e suites' two nodes)
     * would otherwise put a domain of the same name in the same group, so a live migration between them ran the
     * source and the incoming QEMU under one memory limit, and the kernel killed the source (LiveMigrationE2E, 14:12).
     * One agent per host, as the chart installs it, never needs it.
     */
    static final String GUEST_CGROUP_PARENT_ENV = "DOMAIN_OPERATOR_GUEST_CGROUP_PARENT";

    private AgentWiring() {
    }

    /** What the process holds on to: the agent to start and stop, the backend to halt through and close. */
    public record Parts(Hypervisor hypervisor, NodeAgent agent) {
    }

    /** Builds the backend, the adapter assigner and the agent, not yet started. */
    public static Parts wire(AgentConfig config, KubernetesClient client, Clock clock) {
        CountedHypervisor hypervisor = new CountedHypervisor(openHypervisor(config));
        NodeAgent agent = new NodeAgent(config, client, hypervisor,
            activeDomains -> adapterAssigner(config, client, hypervisor, activeDomains, clock), clock);
        hypervisor.register(agent.registry(), config.nodeName());
        return new Parts(hypervisor, agent);
    }

    /** The backend named by --hypervisor, or auto-detected: xl with /proc/xen, else qemu on PATH. */
    public static Hypervisor openHypervisor(AgentConfig config) {
        Map<String, Supplier<Hypervisor>> backends = Map.of(
            HypervisorFactory.XL, () -> new XlHypervisor(new ProcessCommandRunner(),
                XlHypervisor.Settings.defaults().withRunDir(config.runDir().resolve("xen")))
                .migrationTransport(io.domainoperator.controller.cli.OwnCommandLine.subcommand("migration-pipe")),
            HypervisorFactory.QEMU, () -> new QemuHypervisor(QemuOptions.defaults(config.stateDir())
                .withVifNetworking(config.qemuUserNetworking() ? QemuOptions.VifNetworking.USER : QemuOptions.VifNetworking.BRIDGE)
                .withConsoleLogMaxBytes(config.consoleLogMaxBytes()),
                new ProcessCommandRunner(), guestCgroups(config))
                .limitMigrationBandwidth(io.domainoperator.controller.crash.MigrationBandwidthSwitch.fromEnvironment()),
            // The simulator keeps its domains in the state directory: they outlive the agent as real guests do.
            HypervisorFactory.SIM, () -> new io.domainoperator.hypervisor.sim.SimulatedSaveImages(
                new SimulatedGuestEvents(SimulatedHypervisor.builder().seed(config.simSeed())
                .host(64, config.simulator().hostMemoryMiB() * 1024L * 1024L)
                .latencies(config.simulator().latencies()).faults(config.simulator().arm(new SimulatorFaults()))
                .stateFile(config.stateDir().resolve("sim/domains.json")).build(),
                SimulatedGuestEvents.requestDirectory(config.stateDir()))));
        try {
            return new HypervisorFactory(backends, HostProbe.system()).create(Optional.ofNullable(config.hypervisor()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Main.InvalidInputException(e.getMessage());
        }
    }

    /**
     * Each QEMU in a group of its own under {@code domain-operator} in the host's cgroup tree (below
     * {@code --sysfs-root}, which the chart mounts from the host): the agent pod's cgroup, killed with the pod,
     * then holds no guest. Without a writable cgroup tree there (a user's workstation) QEMU stays where it starts.
     */
    static GuestCgroups guestCgroups(AgentConfig config) {
        String parent = guestCgroupParent(System.getenv(GUEST_CGROUP_PARENT_ENV));
        GuestCgroups cgroups = HostCgroups.detect(config.sysfsRoot().resolve("fs/cgroup"), parent);
        LOG.info("QEMU guests' cgroups: {}", cgroups.description());
        return cgroups;
    }

    /** The guests' parent group: {@value #GUEST_CGROUP_PARENT}, or a test's one name (no path) from the environment. */
    static String guestCgroupParent(String fromEnvironment) {
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            return GUEST_CGROUP_PARENT;
        }
        if (!fromEnvironment.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,200}")) {
            throw new Main.InvalidInputException(GUEST_CGROUP_PARENT_ENV + "='" + fromEnvironment + "' is not one cgroup "
                + "name (letters, digits, '.', '_', '-'; not starting with '.'); unset it (a test-only switch)");
        }
        return fromEnvironment;
    }

    /**
     * Passthrough for this node, only when asked for ({@code --device-passthrough}): at start the device plugin
     * moves every free NIC that dom0 does not manage to pciback, as EVE does, which on a workstation would take
     * its network away. Without the flag, asking for an adapter fails the boot with a message naming the flag.
     */
    public static AdapterAssigner adapterAssigner(AgentConfig config, KubernetesClient client, Hypervisor hypervisor,
                                                  Supplier<Set<String>> activeDomains, Clock clock) {
        if (!config.devicePassthrough()) {
            return AdapterAssigner.NONE;
        }
        var kernel = io.domainoperator.controller.crash.TestKernelSwitch.open(config.sysfsRoot(), new ProcessCommandRunner());
        var journal = new io.domainoperator.device.FileDeviceJournal(config.runDir().resolve("devices.json"));
        var driver = io.domainoperator.device.PassthroughDriver.forBackend(hypervisor.backendName());
        NodeAdapterCache cache = new NodeAdapterCache(client, config.nodeName());
        // Every write that would take a device from the host is checked against the newest knowledge at that moment.
        var guarded = new io.domainoperator.device.HostKeptDevices(kernel.sysfs(), driver, cache::list,
            () -> managementPortsNow(config, kernel.sysfs()), journal);
        var plugin = new io.domainoperator.device.DevicePlugin(guarded, kernel.modules(), journal, driver);
        var assigner = new DeviceAdapterAssigner(plugin, client, config.nodeName(),
            new io.domainoperator.device.HostPolicy(managementPorts(config, kernel.sysfs()), config.knobs().debugEnableUsb()),
            activeDomains, clock, cache);
        assigner.start();
        return assigner;
    }

    /**
     * The declared management ports ({@code --dom0-port}) and those the node's default routes go through (the agent
     * runs in the host's network namespace: hostNetwork in the chart), so a missing or wrong flag cannot pass the
     * node's own NIC through.
     */
    static Set<String> managementPortsNow(AgentConfig config, io.domainoperator.device.Sysfs sysfs) {
        Set<String> ports = new java.util.HashSet<>(config.dom0Ports());
        ports.addAll(io.domainoperator.device.ManagementPorts.detect(java.nio.file.Path.of("/proc/net"), sysfs));
        return ports;
    }

    static Set<String> managementPorts(AgentConfig config, io.domainoperator.device.Sysfs sysfs) {
        Set<String> found = io.domainoperator.device.ManagementPorts.detect(java.nio.file.Path.of("/proc/net"), sysfs);
        Set<String> ports = new java.util.TreeSet<>(config.dom0Ports());
        ports.addAll(found);
        LOG.info("management ports kept in the host: {} (declared {}, behind the default routes {})", ports,
            config.dom0Ports(), found);
        return ports;
    }
}
