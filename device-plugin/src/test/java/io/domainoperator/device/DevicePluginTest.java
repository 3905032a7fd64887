package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePluginTest {
    @TempDir
    Path dir;

    @Test
    void atStartFreeNicsAndUsbControllersGoToPcibackAndTheHostKeepsItsOwn() {
        TestNode node = new TestNode(dir);

        ConvergeReport report = node.start();

        assertThat(report.clean()).as("report %s", report).isTrue();
        assertThat(report.moved()).containsExactlyInAnyOrder(Machine.ETH1, Machine.XHCI);
        assertThat(node.kernel.bindings()).containsEntry(Machine.ETH1, "pciback")
            .containsEntry(Machine.XHCI, "pciback")
            .containsEntry(Machine.SRAM, null)              // xHCI's unbound IOMMU peer: harmless, left alone
            .containsEntry(Machine.ETH0, "igb")             // dom0's management port
            .containsEntry(Machine.WLAN, "iwlwifi")         // radios stay
            .containsEntry(Machine.GPU, "nouveau")          // not a NIC or USB: waits for a domain in the host
            .containsEntry(Machine.SATA, "ahci")
            .containsEntry(Machine.ROOT_PORT, "pcieport");
        assertThat(node.commands.commands()).startsWith(List.of("modprobe", "xen-pciback"));
        assertThat(node.kernel.slots()).containsExactlyInAnyOrder(Machine.ETH1, Machine.XHCI);
        assertThat(node.kernel.writes()).containsSubsequence(
            "bus/pci/devices/" + Machine.ETH1 + "/driver_override=pciback",
            "bus/pci/drivers/pciback/new_slot=" + Machine.ETH1,
            "bus/pci/drivers/igb/unbind=" + Machine.ETH1,
            "bus/pci/drivers_probe=" + Machine.ETH1);
        assertThat(node.plugin.scan().usb()).as("USB devices vanish with their controller").isEmpty();
    }

    @Test
    void startingTwiceWritesNothingTheSecondTime() {
        TestNode node = new TestNode(dir);
        node.start();
        int writes = node.kernel.writeCount();
        node.commands.clear();

        ConvergeReport again = node.restart().start(node.view());

        assertThat(again.moved()).isEmpty();
        assertThat(node.kernel.writeCount()).isEqualTo(writes);
        assertThat(node.commands.commands()).isEmpty();
    }

    @Test
    void aGpuMovesWithItsAudioFunctionAndComesBackOnRelease() {
        TestNode node = new TestNode(dir);
        node.start();

        AssignmentOutcome outcome = node.assign("default/desktop", Machine.GPU);

        assertThat(outcome).isEqualTo(new AssignmentOutcome.Assigned("default/desktop", List.of(Machine.GPU, Machine.GPU_AUDIO)));
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("pciback");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("pciback");
        assertThat(node.kernel.driverOf(Machine.ROOT_PORT)).as("bridges stay").isEqualTo("pcieport");
        assertThat(node.plugin.pciAddressesOf("default/desktop")).containsExactly(Machine.GPU, Machine.GPU_AUDIO);
        node.publish();
        assertThat(node.adapter(Machine.GPU_AUDIO).getStatus().getAssignedTo()).isEqualTo("default/desktop");

        ConvergeReport released = node.release("default/desktop");

        assertThat(released.moved()).containsExactlyInAnyOrder(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(node.kernel.slots()).doesNotContain(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(node.plugin.scan().pci(Machine.GPU).orElseThrow().driverOverride()).isNull();
        assertThat(node.plugin.holders()).isEmpty();
    }

    @Test
    void askingAgainForWhatADomainHoldsChangesNothing() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign("default/desktop", Machine.GPU);
        int writes = node.kernel.writeCount();

        AssignmentOutcome again = node.assign("default/desktop", Machine.GPU_AUDIO);

        assertThat(again).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.kernel.writeCount()).isEqualTo(writes);
    }

    @Test
    void aNicAlreadyWaitingInPcibackIsHandedOverAndStaysThereOnRelease() {
        TestNode node = new TestNode(dir);
        node.start();
        int writes = node.kernel.writeCount();

        assertThat(node.assign("net/router", Machine.ETH1)).isEqualTo(new AssignmentOutcome.Assigned("net/router", List.of(Machine.ETH1)));
        assertThat(node.kernel.writeCount()).isEqualTo(writes);
        assertThat(node.release("net/router").moved()).isEmpty();
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("pciback");
    }

    @Test
    void anAssignmentGroupMovesTogether() {
        TestNode node = new TestNode(dir);
        node.admin(Machine.SERIAL, s -> s.setAssignmentGroup("plc"));
        node.admin(Machine.ETH1, s -> s.setAssignmentGroup("plc"));
        node.start();

        AssignmentOutcome outcome = node.assign("ot/plc", Machine.SERIAL);

        assertThat(outcome).isEqualTo(new AssignmentOutcome.Assigned("ot/plc", List.of(Machine.ETH1, Machine.SERIAL)));
        assertThat(node.kernel.driverOf(Machine.SERIAL)).isEqualTo("pciback");
        node.release("ot/plc");
        assertThat(node.kernel.driverOf(Machine.SERIAL)).isEqualTo("serial");
        // Its group is mixed now (serial's home is the host), so the NIC returns to the host with it.
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("igb");
    }

    @Test
    void qemuUsesVfioPciWithoutSlots() {
        TestNode node = new TestNode(dir, PassthroughDriver.VFIO_PCI);
        node.start();

        AssignmentOutcome outcome = node.assign("default/desktop", Machine.GPU);

        assertThat(outcome).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("vfio-pci");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("vfio-pci");
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("vfio-pci");
        assertThat(node.commands.commands()).contains(List.of("modprobe", "vfio-pci"));
        assertThat(node.kernel.writes()).noneMatch(w -> w.contains("slot"));
        node.release("default/desktop");
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
    }

    @Test
    void anOlderPcibackThatIgnoresDriverOverrideStillClaimsDevicesThroughItsSlots() {
        TestNode node = new TestNode(dir);
        node.kernel.pcibackHonoursOverride = false;
        node.start();

        assertThat(node.assign("default/desktop", Machine.GPU)).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("pciback");
        node.release("default/desktop");
        assertThat(node.kernel.driverOf(Machine.GPU)).as("remove_slot before the re-probe").isEqualTo("nouveau");
    }

    @Test
    void aMissingPassthroughDriverIsAFailureThatMovesNothing() {
        TestNode node = new TestNode(dir, new PassthroughDriver("pciback", "not-a-module", true, false));

        AssignmentOutcome outcome = node.assign("default/desktop", Machine.GPU);

        assertThat(outcome).isInstanceOf(AssignmentOutcome.Failed.class);
        assertThat(((AssignmentOutcome.Failed) outcome).failure().step()).isEqualTo("modprobe");
        assertThat(outcome.message()).contains("not-a-module");
        assertThat(node.kernel.writes()).isEmpty();
    }

    @Test
    void aManagementPortChangeBringsTheNicBackToTheHost() {
        TestNode node = new TestNode(dir);
        node.start();
        node.policy = new HostPolicy(java.util.Set.of("eth0", "eth1"), false);

        ConvergeReport report = node.plugin.converge(node.view());

        assertThat(report.moved()).containsExactly(Machine.ETH1);
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("igb");
        assertThat(node.plugin.scan().pci(Machine.ETH1).orElseThrow().ifname()).isEqualTo("eth1");
    }

    @Test
    void aStaleHolderIsForgottenAndItsDevicesGoHome() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign("default/desktop", Machine.GPU);
        node.active.remove("default/desktop"); // deleted while the agent was down

        node.plugin.converge(node.view());

        assertThat(node.plugin.holders()).isEmpty();
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
    }

    @Test
    void aChipsetFunctionTheHostUsesInTheSameIommuGroupKeepsTheControllerInTheHost() {
        TestNode node = new TestNode(dir);
        // A system peripheral (not published as an adapter) with a host driver, in xHCI's IOMMU group 5.
        node.kernel.builtin("gna").pci("0000:00:14.3", 0x088000, "8086", "a37e", 5, "gna");

        ConvergeReport report = node.start();

        assertThat(report.moved()).containsExactly(Machine.ETH1);
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("xhci_hcd");
        assertThat(node.commands.commands()).noneMatch(c -> c.getFirst().equals("rmmod"));
        AssignmentOutcome outcome = node.assign("default/kiosk", Machine.XHCI);
        assertThat(((AssignmentOutcome.Refused) outcome).refusals()).extracting(Refusal::rule)
            .containsExactly(Refusal.Rule.HOST_DEVICE_IN_GROUP);
        assertThat(outcome.message()).contains("0000:00:14.3", "gna", "IOMMU group 5");
    }

    @Test
    void vfioRefusesADeviceOutsideAnyIommuGroupAndLeavesItInTheHost() {
        TestNode node = new TestNode(dir, PassthroughDriver.VFIO_PCI);
        node.kernel.pci("0000:06:00.0", 0x020000, "8086", "1533", -1, "igb", "eth2", List.of());
        node.publish();

        node.start();
        AssignmentOutcome outcome = node.assign("net/router", "0000:06:00.0");

        assertThat(node.kernel.driverOf("0000:06:00.0")).isEqualTo("igb");
        assertThat(((AssignmentOutcome.Refused) outcome).refusals()).extracting(Refusal::rule)
            .containsExactly(Refusal.Rule.NO_IOMMU_GROUP);
        assertThat(outcome.message()).contains("intel_iommu=on");
        node.publish();
        assertThat(node.adapter("0000:06:00.0").getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo(DeviceConditions.ASSIGNABLE);
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).contains("no IOMMU group");
        });
    }

    @Test
    void pcibackTakesADeviceOutsideAnyIommuGroupBecauseXenOwnsTheIommu() {
        TestNode node = new TestNode(dir);
        node.kernel.pci("0000:06:00.0", 0x020000, "8086", "1533", -1, "igb", "eth2", List.of());
        node.publish();

        node.start();

        assertThat(node.kernel.driverOf("0000:06:00.0")).isEqualTo("pciback");
    }

    @Test
    void aSlowBindHoldsUpNeitherReadsNorAnotherDomainsReassign() throws Exception {
        TestNode node = new TestNode(dir);
        node.start();
        assertThat(node.assign("default/router", Machine.ETH1)).isInstanceOf(AssignmentOutcome.Assigned.class);
        NodeView desktopView = new NodeView(List.copyOf(node.view().adapters()), node.policy,
            java.util.Set.of("default/router", "default/desktop"));
        String gpu = node.name(Machine.GPU);
        java.util.concurrent.CountDownLatch bindEntered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch kernelDone = new java.util.concurrent.CountDownLatch(1);
        node.kernel.failWhen(w -> {
            if (w.contains(Machine.GPU) && bindEntered.getCount() > 0) {
                bindEntered.countDown();
                try {
                    kernelDone.await(); // the kernel takes its time over this device
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        });
        var threads = java.util.concurrent.Executors.newCachedThreadPool(); // the common pool may have one thread
        var slow = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> node.plugin.assign("default/desktop", List.of(gpu), desktopView), threads);
        bindEntered.await();

        NodeView routerView = new NodeView(desktopView.adapters(), node.policy, java.util.Set.of("default/router", "default/desktop"));
        var reads = java.util.concurrent.CompletableFuture.supplyAsync(() -> List.of(
            node.plugin.holders().get(Machine.ETH1), node.plugin.pciAddressesOf("default/router").getFirst(),
            String.valueOf(node.plugin.snapshot().holders().size()),
            node.plugin.assign("default/router", List.of(node.name(Machine.ETH1)), routerView).getClass().getSimpleName()),
            threads);
        // Answered while the GPU's bind is held (before this change they waited for it: a deadlock here).
        List<String> answered = reads.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(slow).as("the GPU's move is still held").isNotDone();
        assertThat(answered).containsExactly("default/router", Machine.ETH1, "1", "Assigned");

        kernelDone.countDown();
        assertThat(slow.get()).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.plugin.holders()).containsEntry(Machine.GPU, "default/desktop").containsEntry(Machine.ETH1, "default/router");
        threads.shutdown();
    }
}
