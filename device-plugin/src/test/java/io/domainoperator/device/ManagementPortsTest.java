package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's own NIC is found from its default route, not only from --dom0-port: on a Xen node whose default route
 * goes through the bridge xenbr0 with eth0 beneath it, and no management port declared, the agent never moves eth0,
 * at start or when a DomainConfig asks for it, and says which adapter and why; a keepInHost NIC is refused alike.
 */
class ManagementPortsTest {
    private static final String IPV4_ROUTES = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        xenbr0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
        xenbr0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        eth1\t00000000\t0102A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0
        vif3.0\t0003A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
        """;
    private static final String IPV6_ROUTES = """
        fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001   xenbr0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003    wwan0
        """;

    @TempDir
    Path dir;

    @Test
    void defaultRoutesThatAreUpNameTheirInterfacesAndNothingElse() {
        assertThat(ManagementPorts.defaultRouteInterfaces(IPV4_ROUTES, IPV6_ROUTES))
            .as("xenbr0 (IPv4 default), wwan0 (IPv6 default); not eth1 (route down), not lo (unreachable), not a subnet route")
            .containsExactlyInAnyOrder("xenbr0", "wwan0");
        assertThat(ManagementPorts.defaultRouteInterfaces("", "")).isEmpty();
    }

    @Test
    void theBridgeCarryingTheDefaultRouteKeepsItsPortInTheHostAtStartAndWhenADomainAsks() throws IOException {
        TestNode node = new TestNode(dir);
        Path procNet = Files.createDirectories(dir.resolve("proc/net"));
        Files.writeString(procNet.resolve("route"), IPV4_ROUTES);
        bridge(node.kernel.root, "xenbr0", "eth0");
        node.policy = new HostPolicy(ManagementPorts.detect(procNet, node.kernel), false);
        assertThat(node.policy.managementPorts()).as("found, none declared").contains("xenbr0", "eth0").doesNotContain("eth1");

        node.start();
        assertThat(node.kernel.driverOf(Machine.ETH0)).as("the management NIC stays with its host driver").isEqualTo("igb");
        assertThat(node.kernel.driverOf(Machine.ETH1)).as("a free NIC waits in pciback, as EVE does").isEqualTo("pciback");
        int writes = node.kernel.writeCount();

        AssignmentOutcome asked = node.assign("net/router", Machine.ETH0);

        assertThat(asked).isInstanceOf(AssignmentOutcome.Refused.class);
        Refusal refusal = ((AssignmentOutcome.Refused) asked).refusals().getFirst();
        assertThat(refusal.rule()).isEqualTo(Refusal.Rule.MANAGEMENT_PORT);
        assertThat(refusal.adapter()).isEqualTo(node.name(Machine.ETH0));
        assertThat(refusal.message()).contains(node.name(Machine.ETH0), Machine.ETH0, "eth0", "management port", "cut the node off");
        assertThat(node.kernel.driverOf(Machine.ETH0)).isEqualTo("igb");
        assertThat(node.kernel.writeCount()).as("nothing written to sysfs").isEqualTo(writes);
    }

    @Test
    void aKeepInHostNicIsRefusedEvenWhenADomainAsksAndStaysWhereItIs() {
        TestNode node = new TestNode(dir);
        node.admin(Machine.ETH1, s -> s.setKeepInHost(true));
        node.start();
        assertThat(node.kernel.driverOf(Machine.ETH1)).as("not sent to pciback at start").isEqualTo("igb");
        int writes = node.kernel.writeCount();

        AssignmentOutcome asked = node.assign("net/router", Machine.ETH1);

        assertThat(asked).isInstanceOf(AssignmentOutcome.Refused.class);
        List<Refusal> refusals = ((AssignmentOutcome.Refused) asked).refusals();
        assertThat(refusals).extracting(Refusal::rule).containsExactly(Refusal.Rule.KEEP_IN_HOST);
        assertThat(refusals.getFirst().message()).contains(node.name(Machine.ETH1), "keepInHost");
        assertThat(node.kernel.driverOf(Machine.ETH1)).isEqualTo("igb");
        assertThat(node.kernel.writeCount()).isEqualTo(writes);
        assertThat(node.plugin.pciAddressesOf("net/router")).isEmpty();
    }

    @Test
    void portsBeneathBondsAndVlansAreFollowedTransitively() throws IOException {
        TestNode node = new TestNode(dir);
        Path net = Files.createDirectories(node.kernel.root.resolve("class/net"));
        Files.createDirectories(net.resolve("bond0.100"));
        Files.createSymbolicLink(net.resolve("bond0.100/lower_bond0"), Path.of("../bond0"));
        Files.createDirectories(net.resolve("bond0"));
        Files.createSymbolicLink(net.resolve("bond0/lower_eth0"), Path.of("../eth0"));
        Files.createSymbolicLink(net.resolve("bond0/lower_eth1"), Path.of("../eth1"));

        assertThat(ManagementPorts.withPortsBeneath(Set.of("bond0.100"), node.kernel))
            .containsExactlyInAnyOrder("bond0.100", "bond0", "eth0", "eth1");
    }

    /** A Linux bridge with one port, as sysfs shows it: a lower_ link and an entry under brif/. */
    private static void bridge(Path sysfsRoot, String bridge, String port) throws IOException {
        Path dir = Files.createDirectories(sysfsRoot.resolve("class/net").resolve(bridge).resolve("brif"));
        Files.createSymbolicLink(dir.resolve(port), Path.of("../../" + port + "/brport"));
        Files.createSymbolicLink(dir.getParent().resolve("lower_" + port), Path.of("../" + port));
    }
}
