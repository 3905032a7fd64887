package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterPublisherTest {
    @TempDir
    Path dir;

    private static Condition assignable(PhysicalIOAdapter a) {
        return a.getStatus().getConditions().stream().filter(c -> c.getType().equals(DeviceConditions.ASSIGNABLE))
            .findFirst().orElseThrow();
    }

    @Test
    void oneObjectPerPublishedFunctionAndUsbDevice() {
        TestNode node = new TestNode(dir);

        assertThat(node.objects.keySet()).containsExactlyInAnyOrder(
            "node1-pci-0000-00-14.0", "node1-pci-0000-00-17.0", "node1-pci-0000-01-00.0", "node1-pci-0000-01-00.1",
            "node1-pci-0000-02-00.0", "node1-pci-0000-03-00.0", "node1-pci-0000-04-00.0", "node1-pci-0000-05-00.0",
            "node1-usb-1-2", "node1-usb-1-3");
        PhysicalIOAdapter eth1 = node.adapter(Machine.ETH1);
        assertThat(eth1.getSpec().getNodeName()).isEqualTo("node1");
        assertThat(eth1.getSpec().getType()).isEqualTo(AdapterType.NetEth);
        assertThat(eth1.getSpec().getIfname()).isEqualTo("eth1");
        assertThat(eth1.getSpec().getPhylabel()).isEqualTo("eth1");
        assertThat(eth1.getMetadata().getLabels()).containsEntry(AdapterPublisher.LABEL_NODE, "node1")
            .containsEntry(AdapterPublisher.LABEL_VENDOR, "8086").containsEntry(AdapterPublisher.LABEL_DEVICE, "1533")
            .containsEntry(AdapterPublisher.LABEL_CLASS, "020000");
        assertThat(eth1.getStatus().getBoundDriver()).isEqualTo("igb");
        assertThat(eth1.getStatus().getIommuGroup()).isEqualTo(3);
        assertThat(eth1.getStatus().getInPciback()).isFalse();
        PhysicalIOAdapter stick = node.objects.get("node1-usb-1-2");
        assertThat(stick.getSpec().getType()).isEqualTo(AdapterType.USBDevice);
        assertThat(stick.getSpec().getUsbAddress()).isEqualTo("1-2");
        assertThat(stick.getSpec().getUsbProduct()).isEqualTo("0781:5581");
    }

    @Test
    void statusSaysWhyAnAdapterCannotBeAssigned() {
        TestNode node = new TestNode(dir);

        assertThat(assignable(node.adapter(Machine.ETH0))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(c.getReason()).isEqualTo(Conditions.ADAPTER_REFUSED);
            assertThat(c.getMessage()).contains("management port");
        });
        assertThat(assignable(node.adapter(Machine.WLAN)).getMessage()).contains("radios stay in the host");
        assertThat(assignable(node.adapter(Machine.GPU))).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(Conditions.TRUE);
            assertThat(c.getReason()).isEqualTo(DeviceConditions.FREE);
            assertThat(c.getMessage()).contains("2 device(s)");
        });
        assertThat(assignable(node.objects.get("node1-usb-1-2")).getReason()).isEqualTo(Conditions.ADAPTER_REFUSED);
    }

    @Test
    void aGroupPeerKeptInTheHostMakesTheWholeGroupUnassignable() {
        TestNode node = new TestNode(dir);
        node.admin(Machine.GPU_AUDIO, s -> s.setKeepInHost(true));

        node.publish();

        assertThat(assignable(node.adapter(Machine.GPU)).getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(assignable(node.adapter(Machine.GPU)).getMessage()).contains("moves only with its group", "keepInHost");
    }

    @Test
    void administratorFieldsSurviveEveryPublish() {
        TestNode node = new TestNode(dir);
        node.admin(Machine.SERIAL, s -> {
            s.setLogicalLabel("plc-bus");
            s.setPhylabel("COM1");
            s.setUsage(AdapterUsage.Shared);
            s.setAssignmentGroup("plc");
        });
        node.adapter(Machine.SERIAL).getMetadata().getLabels().put("site", "north");

        node.publish();

        PhysicalIOAdapter serial = node.adapter(Machine.SERIAL);
        assertThat(serial.getSpec().getLogicalLabel()).isEqualTo("plc-bus");
        assertThat(serial.getSpec().getPhylabel()).isEqualTo("COM1");
        assertThat(serial.getSpec().getUsage()).isEqualTo(AdapterUsage.Shared);
        assertThat(serial.getSpec().getAssignmentGroup()).isEqualTo("plc");
        assertThat(serial.getMetadata().getLabels()).containsEntry("site", "north");
    }

    @Test
    void statusFollowsTheKernelAndTheJournal() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign("default/desktop", Machine.GPU);

        node.publish();

        PhysicalIOAdapter eth1 = node.adapter(Machine.ETH1);
        assertThat(eth1.getStatus().getBoundDriver()).isEqualTo("pciback");
        assertThat(eth1.getStatus().getInPciback()).isTrue();
        assertThat(eth1.getSpec().getIfname()).as("remembered while pciback hides it").isEqualTo("eth1");
        PhysicalIOAdapter gpu = node.adapter(Machine.GPU);
        assertThat(gpu.getStatus().getAssignedTo()).isEqualTo("default/desktop");
        assertThat(assignable(gpu).getReason()).isEqualTo(Conditions.ADAPTER_BUSY);
        assertThat(assignable(node.objects.get("node1-usb-1-2")).getReason())
            .as("the stick went away with its controller").isEqualTo(Conditions.ADAPTER_MISSING);
    }

    @Test
    void lastTransitionTimeMovesOnlyWhenTheConditionChanges() {
        TestNode node = new TestNode(dir);
        HostDevices scan = node.plugin.scan();
        List<PhysicalIOAdapter> first = List.copyOf(node.objects.values());
        Instant later = TestNode.NOW.plusSeconds(3600);

        List<PhysicalIOAdapter> same = AdapterPublisher.publish("node1", new NodeSnapshot(scan, Map.of(), Map.of()),
            first, node.policy, node.driver, later);
        List<PhysicalIOAdapter> held = AdapterPublisher.publish("node1",
            new NodeSnapshot(scan, Map.of(Machine.GPU, "default/desktop"), Map.of()), first, node.policy, node.driver, later);

        String gpu = node.name(Machine.GPU);
        assertThat(assignable(byName(same, gpu)).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(assignable(byName(held, gpu)).getLastTransitionTime()).isEqualTo("2026-01-01T01:00:00Z");
    }

    @Test
    void otherNodesObjectsAreIgnored() {
        TestNode node = new TestNode(dir);
        PhysicalIOAdapter foreign = node.adapter(Machine.GPU);
        foreign.getSpec().setNodeName("node2");
        foreign.getMetadata().setName("node2-pci-0000-01-00.0");

        List<PhysicalIOAdapter> out = AdapterPublisher.publish("node1", node.plugin.snapshot(), List.of(foreign),
            node.policy, node.driver, TestNode.NOW);

        assertThat(out).extracting(a -> a.getMetadata().getName()).doesNotContain("node2-pci-0000-01-00.0");
    }

    @Test
    void aFailedMoveShowsOnEveryAdapterOfTheGroupUntilAMoveWorks() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.failWhen(w -> w.equals("probe pciback " + Machine.GPU_AUDIO));
        node.assign("default/desktop", Machine.GPU);

        node.publish();

        Condition moved = node.adapter(Machine.GPU).getStatus().getConditions().stream()
            .filter(c -> c.getType().equals(DeviceConditions.DRIVER_MOVE)).findFirst().orElseThrow();
        assertThat(moved.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(moved.getReason()).isEqualTo(DeviceConditions.ADAPTER_MOVE_FAILED);
        assertThat(moved.getMessage()).contains(Machine.GPU_AUDIO, "step bind");

        node.kernel.healthy();
        node.assign("default/desktop", Machine.GPU);
        node.publish();

        assertThat(node.adapter(Machine.GPU_AUDIO).getStatus().getConditions())
            .anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo(DeviceConditions.DRIVER_MOVE);
                assertThat(c.getReason()).isEqualTo(DeviceConditions.COMPLETED);
            });
    }

    private static PhysicalIOAdapter byName(List<PhysicalIOAdapter> list, String name) {
        return list.stream().filter(a -> a.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}
