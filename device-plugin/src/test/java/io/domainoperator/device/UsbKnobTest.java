package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** debug.enable.usb at run time: controllers and the USB modules follow the knob, held controllers do not. */
class UsbKnobTest {
    @TempDir
    Path dir;

    @Test
    void knobOffAtStartUnloadsTheUsbStackAfterTheControllerLeft() {
        TestNode node = new TestNode(dir);

        node.start();

        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("pciback");
        assertThat(node.commands.commands()).containsSubsequence(List.of("rmmod", "usb_storage"),
            List.of("rmmod", "usbhid"), List.of("rmmod", "xhci_pci"), List.of("rmmod", "xhci_hcd"),
            List.of("rmmod", "ehci_pci"), List.of("rmmod", "ehci_hcd"));
        assertThat(node.kernel.loadedModules()).doesNotContain("xhci_pci", "xhci_hcd", "usbhid", "usb_storage");
        assertThat(node.kernel.loadedModules()).contains("igb", "xen-pciback");
    }

    @Test
    void togglingOnBringsControllersAndModulesBackAndOffSendsThemAway() {
        TestNode node = new TestNode(dir);
        node.start();
        node.commands.clear();

        node.policy = node.policy.withUsbDebug(true);
        ConvergeReport on = node.plugin.converge(node.view());

        assertThat(on.moved()).containsExactly(Machine.XHCI);
        assertThat(node.commands.commands()).containsExactly(List.of("modprobe", "xhci_pci"),
            List.of("modprobe", "ehci_pci"), List.of("modprobe", "ohci_pci"), List.of("modprobe", "uhci_hcd"),
            List.of("modprobe", "usbhid"), List.of("modprobe", "usb_storage"));
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("xhci_hcd");
        assertThat(node.plugin.scan().usb()).extracting(UsbDevice::vendorProduct).containsExactly("0781:5581", "046d:c31c");
        assertThat(node.kernel.slots()).doesNotContain(Machine.XHCI);
        node.commands.clear();

        node.policy = node.policy.withUsbDebug(false);
        ConvergeReport off = node.plugin.converge(node.view());

        assertThat(off.moved()).containsExactly(Machine.XHCI);
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("pciback");
        assertThat(node.commands.commands()).contains(List.of("rmmod", "xhci_pci"), List.of("rmmod", "usbhid"));
        assertThat(node.kernel.loadedModules()).doesNotContain("xhci_pci", "ohci_pci", "uhci_hcd", "usbhid");
    }

    @Test
    void knobOnAtStartLeavesControllersInTheHost() {
        TestNode node = new TestNode(dir);
        node.policy = node.policy.withUsbDebug(true);

        ConvergeReport report = node.start();

        assertThat(report.moved()).containsExactly(Machine.ETH1);
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("xhci_hcd");
        assertThat(node.commands.commands()).noneMatch(c -> c.getFirst().equals("rmmod"));
    }

    @Test
    void aControllerHeldByARunningDomainStaysWithItWhenTheKnobTurnsOn() {
        TestNode node = new TestNode(dir);
        node.start();
        assertThat(node.assign("default/kiosk", Machine.XHCI)).isInstanceOf(AssignmentOutcome.Assigned.class);

        node.policy = node.policy.withUsbDebug(true);
        ConvergeReport on = node.plugin.converge(node.view());

        assertThat(on.moved()).isEmpty();
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("pciback");
        assertThat(node.plugin.holders()).containsEntry(Machine.XHCI, "default/kiosk");
        assertThat(node.kernel.loadedModules()).as("modules load anyway, for other controllers").contains("xhci_pci");

        node.release("default/kiosk");

        assertThat(node.kernel.driverOf(Machine.XHCI)).as("home is the host now").isEqualTo("xhci_hcd");
    }

    @Test
    void aKeepInHostControllerKeepsTheUsbModulesLoaded() {
        TestNode node = new TestNode(dir);
        node.admin(Machine.XHCI, s -> s.setKeepInHost(true));

        node.start();

        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("xhci_hcd");
        assertThat(node.commands.commands()).noneMatch(c -> c.getFirst().equals("rmmod"));
    }

    @Test
    void aModuleThisKernelLacksIsReportedAndTheRestStillHappens() {
        TestNode node = new TestNode(dir);
        node.kernel.withoutModule("uhci_hcd");
        node.start();

        node.policy = node.policy.withUsbDebug(true);
        ConvergeReport on = node.plugin.converge(node.view());

        assertThat(on.moduleFailures()).containsExactly("uhci_hcd");
        assertThat(on.failures()).isEmpty();
        assertThat(node.kernel.driverOf(Machine.XHCI)).isEqualTo("xhci_hcd");
    }
}
