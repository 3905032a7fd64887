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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever write fails (up to two, once each) and wherever the agent dies, after a restart every device that
 * had a driver has one, IOMMU groups are never split between host and passthrough, and a last healthy pass
 * puts everything where it belongs.
 */
class NeverOrphanedProperties {
    private static final List<String> BOUND_AT_BOOT = List.of(Machine.ROOT_PORT, Machine.XHCI, Machine.SATA,
        Machine.GPU, Machine.GPU_AUDIO, Machine.ETH0, Machine.ETH1, Machine.WLAN, Machine.SERIAL);

    /** Hundreds of small files per try: on tmpfs when there is one. */
    private static final Path SHM = Path.of("/dev/shm");

    @Property(tries = 100)
    void everyDeviceStaysBoundAndGroupsMoveWhole(
        @ForAll @Size(max = 2) Set<@IntRange(min = 1, max = 32) Integer> failingWrites,
        @ForAll @IntRange(min = 0, max = 32) int crashAtWrite,
        @ForAll boolean vfio) throws IOException {
        Path dir = Files.isWritable(SHM) ? Files.createTempDirectory(SHM, "never-orphaned")
            : Files.createTempDirectory("never-orphaned");
        try {
            // The in-memory journal outlives restart() as the file would; fsync per step would make 150 tries slow.
            TestNode node = new TestNode(dir, vfio ? PassthroughDriver.VFIO_PCI : PassthroughDriver.PCIBACK,
                new InMemoryDeviceJournal());
            node.start();
            int base = node.kernel.writeCount();
            node.kernel.failWriteNumbers(failingWrites.stream().map(n -> base + n).collect(java.util.stream.Collectors.toSet()));
            if (crashAtWrite > 0) {
                node.kernel.crashAtWrite(base + crashAtWrite);
            }
            try {
                node.assign("a/desktop", Machine.GPU);
                node.policy = node.policy.withUsbDebug(true);
                node.plugin.converge(node.view());
                node.assign("b/plc", Machine.SERIAL);
                node.release("a/desktop");
            } catch (SimulatedCrash crash) {
                node.restart().start(node.view());
            }

            assertInvariants(node);

            node.kernel.healthy();
            ConvergeReport last = node.plugin.converge(node.view());
            assertThat(last.failures()).as("a healthy pass after %s", node.kernel.writes()).isEmpty();
            assertInvariants(node);
            Map<String, String> holders = node.plugin.holders();
            if (!holders.containsKey(Machine.GPU)) {
                assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
                assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
            }
            assertThat(node.kernel.driverOf(Machine.ETH0)).isEqualTo("igb");
        } finally {
            deleteTree(dir);
        }
    }

    private static void assertInvariants(TestNode node) {
        Map<String, String> bindings = node.kernel.bindings();
        for (String address : BOUND_AT_BOOT) {
            assertThat(bindings.get(address)).as("%s after %s", address, node.kernel.writes()).isNotNull();
        }
        String target = node.driver.name();
        assertThat(bindings.get(Machine.GPU).equals(target))
            .as("GPU and its audio function on the same side: %s", bindings)
            .isEqualTo(bindings.get(Machine.GPU_AUDIO).equals(target));
        node.plugin.holders().keySet().forEach(a -> assertThat(bindings.get(a)).as("held %s", a).isEqualTo(target));
        assertThat(node.journal.load().pending()).isNull();
        assertThat(bindings.get(Machine.ETH0)).isEqualTo("igb");
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
