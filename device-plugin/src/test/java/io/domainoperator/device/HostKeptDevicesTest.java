package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An administrator's {@code keepInHost}, or a NIC becoming a management port, that arrives while an assign runs is
 * honoured at the last moment: the device never leaves its host driver, its group is rolled back and the domain gets
 * nothing. The plugin decides from a view taken when the call began; {@link HostKeptDevices} checks the newest
 * knowledge (the "newest" objects here stand for the agent's informer cache) at each write that would take a device
 * from the host.
 */
class HostKeptDevicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "default/desktop";
    @TempDir
    Path dir;
    TestNode node;
    /** What an event arriving mid-move does; runs once, before the write that first touches the device it names. */
    Runnable arrives = () -> { };
    String arrivesAt;
    final AtomicBoolean arrived = new AtomicBoolean();
    final Set<String> managementPorts = new HashSet<>(Machine.MANAGEMENT_PORTS);

    @BeforeEach
    void start() {
        node = new TestNode(dir);
        Sysfs beforeKernel = new Sysfs() {
            @Override public Optional<String> read(String path) { return node.kernel.read(path); }
            @Override public List<String> list(String d) { return node.kernel.list(d); }
            @Override public Optional<String> readlink(String path) { return node.kernel.readlink(path); }
            @Override public boolean exists(String path) { return node.kernel.exists(path); }
            @Override
            public void write(String path, String value) {
                node.kernel.write(path, value);
                if (arrivesAt != null && (path.contains(arrivesAt) || value.strip().equals(arrivesAt)) && arrived.compareAndSet(false, true)) {
                    arrives.run();
                }
            }
        };
        Sysfs guarded = new HostKeptDevices(beforeKernel, node.driver, () -> List.copyOf(node.objects.values()),
            () -> Set.copyOf(managementPorts), node.journal);
        node.plugin = new DevicePlugin(guarded, node.commands, node.journal, node.driver);
        node.start();
    }

    /** The administrator's edit as the agent's cache shows it: a new object, not a change to the one the view holds. */
    private void markKeepInHost(String pciAddress) {
        PhysicalIOAdapter fresh = JSON.convertValue(node.adapter(pciAddress), PhysicalIOAdapter.class);
        fresh.getSpec().setKeepInHost(true);
        node.objects.put(fresh.getMetadata().getName(), fresh);
    }

    private AssignmentOutcome assignWithViewTakenBefore(String... pciAddresses) {
        node.active.add(DOMAIN);
        NodeView view = node.view();
        List<String> names = java.util.Arrays.stream(pciAddresses).map(node::name).toList();
        return node.plugin.assign(DOMAIN, names, view);
    }

    private void assertNothingPassedThrough(AssignmentOutcome outcome, String why) {
        assertThat(outcome).isInstanceOf(AssignmentOutcome.Failed.class);
        assertThat(((AssignmentOutcome.Failed) outcome).failure().describe()).contains(why);
        assertThat(node.plugin.pciAddressesOf(DOMAIN)).as("the domain holds nothing").isEmpty();
        assertThat(node.journal.load().pending()).as("no move left in flight").isNull();
    }

    @Test
    void aKeepInHostMarkArrivingWhileItsGroupMovesKeepsTheDeviceWithItsHostDriver() {
        arrivesAt = Machine.GPU;
        arrives = () -> markKeepInHost(Machine.GPU_AUDIO);

        AssignmentOutcome outcome = assignWithViewTakenBefore(Machine.GPU);

        assertThat(arrived).as("the mark arrived during the move").isTrue();
        assertNothingPassedThrough(outcome, "keepInHost");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(node.kernel.writes()).as("nothing took the audio function from its driver")
            .noneMatch(w -> w.contains(Machine.GPU_AUDIO));
        assertThat(node.kernel.driverOf(Machine.GPU)).as("the group rolled back").isEqualTo("nouveau");
    }

    @Test
    void aKeepInHostMarkArrivingAfterTheAssignTookItsViewIsHonoured() {
        int writesBefore = node.kernel.writeCount();
        node.active.add(DOMAIN);
        NodeView stale = node.view();
        markKeepInHost(Machine.GPU);

        AssignmentOutcome outcome = node.plugin.assign(DOMAIN, List.of(node.name(Machine.GPU)), stale);

        assertNothingPassedThrough(outcome, "keepInHost");
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.writes().subList(writesBefore, node.kernel.writeCount()))
            .as("no write touched the GPU").noneMatch(w -> w.contains(Machine.GPU));
    }

    @Test
    void aNicThatBecameAManagementPortDuringTheAssignStaysInTheHost() {
        node.admin(Machine.ETH1, s -> s.setUsage(io.domainoperator.api.v1alpha1.AdapterUsage.Shared)); // the host uses it
        node.plugin.converge(node.view());
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("igb");
        node.active.add(DOMAIN);
        NodeView stale = node.view();
        managementPorts.add("eth1"); // a default route moved to eth1

        AssignmentOutcome outcome = node.plugin.assign(DOMAIN, List.of(node.name(Machine.ETH1)), stale);

        assertNothingPassedThrough(outcome, "management port");
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("igb");
    }

    @Test
    void withoutALateMarkTheGuardLetsTheMoveThrough() {
        AssignmentOutcome outcome = assignWithViewTakenBefore(Machine.GPU);

        assertThat(outcome).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo(node.driver.name());
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo(node.driver.name());
    }
}
