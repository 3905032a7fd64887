package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.Conditions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule that keeps a device in the host refuses with its own reason, and nothing moves. */
class RefusalTest {
    @TempDir
    Path dir;
    TestNode node;
    int writesBefore;

    @BeforeEach
    void startNode() {
        node = new TestNode(dir);
        node.start();
        writesBefore = node.kernel.writeCount();
    }

    private Refusal refusedFor(String domain, String address, Refusal.Rule rule) {
        AssignmentOutcome outcome = node.assign(domain, address);
        assertThat(outcome).isInstanceOf(AssignmentOutcome.Refused.class);
        List<Refusal> refusals = ((AssignmentOutcome.Refused) outcome).refusals();
        assertThat(refusals).extracting(Refusal::rule).contains(rule);
        assertThat(node.kernel.writeCount()).as("a refusal writes nothing to sysfs").isEqualTo(writesBefore);
        assertThat(node.plugin.pciAddressesOf(domain)).isEmpty();
        return refusals.stream().filter(r -> r.rule() == rule).findFirst().orElseThrow();
    }

    @Test
    void keepInHost() {
        node.admin(Machine.GPU, s -> s.setKeepInHost(true));
        Refusal r = refusedFor("default/desktop", Machine.GPU, Refusal.Rule.KEEP_IN_HOST);
        assertThat(r.conditionReason()).isEqualTo(Conditions.ADAPTER_REFUSED);
        assertThat(r.message()).contains("keepInHost", Machine.GPU);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
    }

    @Test
    void usageDom0() {
        node.admin(Machine.SERIAL, s -> s.setUsage(AdapterUsage.Dom0));
        assertThat(refusedFor("ot/plc", Machine.SERIAL, Refusal.Rule.USAGE_DOM0).message()).contains("usage Dom0");
    }

    @Test
    void dom0ManagementPort() {
        Refusal r = refusedFor("net/router", Machine.ETH0, Refusal.Rule.MANAGEMENT_PORT);
        assertThat(r.message()).contains("eth0", "management port");
        assertThat(node.kernel.driverOf(Machine.ETH0)).isEqualTo("igb");
    }

    @Test
    void wireless() {
        assertThat(refusedFor("net/router", Machine.WLAN, Refusal.Rule.WIRELESS).message()).contains("NetWLAN");
    }

    @Test
    void heldByAnotherRunningDomain() {
        assertThat(node.assign("default/desktop", Machine.GPU)).isInstanceOf(AssignmentOutcome.Assigned.class);
        writesBefore = node.kernel.writeCount();

        Refusal r = refusedFor("default/other", Machine.GPU_AUDIO, Refusal.Rule.HELD_BY_OTHER_DOMAIN);

        assertThat(r.conditionReason()).isEqualTo(Conditions.ADAPTER_BUSY);
        assertThat(r.message()).contains("default/desktop");
        assertThat(node.plugin.pciAddressesOf("default/desktop")).containsExactly(Machine.GPU, Machine.GPU_AUDIO);
    }

    @Test
    void aHolderThatIsNoLongerActiveDoesNotBlock() {
        node.assign("default/desktop", Machine.GPU);
        node.active.remove("default/desktop");

        assertThat(node.assign("default/other", Machine.GPU)).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.plugin.pciAddressesOf("default/other")).containsExactly(Machine.GPU, Machine.GPU_AUDIO);
    }

    @Test
    void aGroupPeerTheHostKeepsRefusesTheWholeGroup() {
        node.admin(Machine.GPU_AUDIO, s -> s.setKeepInHost(true));
        Refusal r = refusedFor("default/desktop", Machine.GPU, Refusal.Rule.KEEP_IN_HOST);
        assertThat(r.pciAddress()).isEqualTo(Machine.GPU_AUDIO);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
    }

    @Test
    void anAssignmentGroupWithDom0sNicIsRefused() {
        node.admin(Machine.SERIAL, s -> s.setAssignmentGroup("bad"));
        node.admin(Machine.ETH0, s -> s.setAssignmentGroup("bad"));
        refusedFor("ot/plc", Machine.SERIAL, Refusal.Rule.MANAGEMENT_PORT);
    }

    @Test
    void anUnknownAdapterIsMissing() {
        AssignmentOutcome outcome = node.plugin.assign("default/desktop", List.of("node1-pci-0000-09-00.0"), node.view());
        assertThat(outcome.reason()).isEqualTo(Conditions.ADAPTER_MISSING);
        assertThat(outcome.message()).contains("node1-pci-0000-09-00.0");
    }

    @Test
    void aUsbDeviceIsNotPassedThroughOnItsOwn() {
        TestNode fresh = new TestNode(dir.resolve("fresh"));
        AssignmentOutcome outcome = fresh.plugin.assign("default/desktop", List.of("node1-usb-1-2"), fresh.view());
        assertThat(((AssignmentOutcome.Refused) outcome).refusals()).extracting(Refusal::rule).containsExactly(Refusal.Rule.NOT_PCI);
    }
}
