package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Any sequence of what the controller does (assign, release, toggle the USB knob, move dom0's management
 * network, restart the agent) on a healthy kernel leaves the host's own devices alone, never splits an IOMMU
 * group, keeps every held device in the passthrough driver, and leaves nothing more to do.
 */
class AssignmentConvergenceProperties {
    private static final Path SHM = Path.of("/dev/shm");
    private static final List<String> ADAPTERS = List.of(Machine.GPU, Machine.GPU_AUDIO, Machine.ETH0, Machine.ETH1,
        Machine.WLAN, Machine.XHCI, Machine.SERIAL, Machine.SATA);

    enum Action {
        ASSIGN_A, ASSIGN_B, RELEASE_A, RELEASE_B, KNOB_ON, KNOB_OFF, MANAGE_ETH1, MANAGE_ETH0_ONLY, RESTART
    }

    @Property(tries = 60)
    void anySequenceConvergesSafely(@ForAll @Size(max = 12) List<Action> actions,
                                    @ForAll @Size(max = 12) List<Integer> picks,
                                    @ForAll boolean vfio) throws IOException {
        Path dir = Files.isWritable(SHM) ? Files.createTempDirectory(SHM, "converge") : Files.createTempDirectory("converge");
        try {
            TestNode node = new TestNode(dir, vfio ? PassthroughDriver.VFIO_PCI : PassthroughDriver.PCIBACK,
                new InMemoryDeviceJournal());
            // The administrator marks the host's boot disk controller, as an EVE model manifest does.
            node.admin(Machine.SATA, s -> s.setUsage(io.domainoperator.api.v1alpha1.AdapterUsage.Dom0));
            node.start();
            for (int i = 0; i < actions.size(); i++) {
                String adapter = ADAPTERS.get(Math.floorMod(i < picks.size() ? picks.get(i) : i, ADAPTERS.size()));
                switch (actions.get(i)) {
                    case ASSIGN_A -> node.assign("ns/a", adapter);
                    case ASSIGN_B -> node.assign("ns/b", adapter);
                    case RELEASE_A -> node.release("ns/a");
                    case RELEASE_B -> node.release("ns/b");
                    case KNOB_ON -> converge(node, node.policy.withUsbDebug(true));
                    case KNOB_OFF -> converge(node, node.policy.withUsbDebug(false));
                    case MANAGE_ETH1 -> converge(node, new HostPolicy(Set.of("eth0", "eth1"), node.policy.usbDebugEnabled()));
                    case MANAGE_ETH0_ONLY -> converge(node, new HostPolicy(Set.of("eth0"), node.policy.usbDebugEnabled()));
                    case RESTART -> node.restart().start(node.view());
                }
                assertSafe(node, actions.subList(0, i + 1));
            }

            ConvergeReport settle = node.plugin.converge(node.view());
            assertThat(settle.failures()).isEmpty();
            ConvergeReport again = node.plugin.converge(node.view());
            assertThat(again.moved()).as("a second pass after %s has nothing to do", actions).isEmpty();
        } finally {
            deleteTree(dir);
        }
    }

    private static void converge(TestNode node, HostPolicy policy) {
        node.policy = policy;
        assertThat(node.plugin.converge(node.view()).failures()).isEmpty();
    }

    private static void assertSafe(TestNode node, List<Action> so) {
        Map<String, String> b = node.kernel.bindings();
        String target = node.driver.name();
        assertThat(b.get(Machine.ETH0)).as("dom0's uplink after %s", so).isEqualTo("igb");
        assertThat(b.get(Machine.WLAN)).as("radio after %s", so).isEqualTo("iwlwifi");
        assertThat(b.get(Machine.SATA)).as("host disk after %s", so).isEqualTo("ahci");
        if (node.policy.managementPorts().contains("eth1")) {
            assertThat(b.get(Machine.ETH1)).as("eth1 as a management port after %s", so).isIn("igb", target);
            if (!node.plugin.holders().containsKey(Machine.ETH1)) {
                assertThat(b.get(Machine.ETH1)).as("free eth1 while dom0 manages it, after %s", so).isEqualTo("igb");
            }
        }
        assertThat(b.get(Machine.GPU).equals(target)).as("GPU group whole after %s: %s", so, b)
            .isEqualTo(b.get(Machine.GPU_AUDIO).equals(target));
        node.plugin.holders().keySet().forEach(a -> assertThat(b.get(a)).as("held %s after %s", a, so).isEqualTo(target));
        b.forEach((a, d) -> {
            if (!a.equals(Machine.HOST_BRIDGE) && !a.equals(Machine.SRAM)) {
                assertThat(d).as("%s bound after %s", a, so).isNotNull();
            }
        });
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
