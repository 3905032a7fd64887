package io.domainoperator.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A local node's JVM killed mid-run (as CI's job was when a session ended) left its bridge, DNAT chain,
 * mounts and processes; the next run failed at once on {@code ip link add}. These tests leave the same
 * things behind with names of their own (a live node's are untouched) and check that the next start reclaims
 * them, and that a node still owned by a live JVM is refused rather than torn down.
 */
@ResourceLock(ExclusiveResources.LOCAL_KUBE_NODE)
class NodeLeftoversIT {
    private static final String BRIDGE = "do-e2e-lt0";
    private static final String CHAIN = "DO-E2E-LEFTOVER";
    private static final Duration COMMAND = Duration.ofSeconds(30);

    @TempDir
    Path temp;
    private Path record;
    private NodeLeftovers leftovers;

    @BeforeEach
    void rootWithIpAndIptables() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: it adds a bridge, a chain and a mount");
        assumeTrue(exec("ip", "-V").succeeded() && exec("iptables", "-V").succeeded(), "needs ip and iptables");
        record = temp.resolve("record");
        leftovers = new NodeLeftovers(record, BRIDGE, CHAIN);
    }

    @AfterEach
    void cleanUp() {
        if (leftovers != null) {
            exec("ip", "link", "del", BRIDGE);
            leftovers.removeChain();
        }
    }

    @Test
    void aKilledRunsBridgeChainMountsProcessesAndRecordAreReclaimed() throws Exception {
        Path workDir = Files.createDirectories(temp.resolve("do-e2e-node-killed"));
        Path mountPoint = Files.createDirectories(workDir.resolve("kubelet"));
        ok("mount", "-t", "tmpfs", "-o", "size=1m", "leftover", mountPoint.toString());
        Process orphan = new ProcessBuilder("sh", "-c", "while :; do sleep 1; done; : \"$0\"", workDir.resolve("containerd.sock").toString()).start();
        Map<String, String> sysctlsBefore = HostSettings.current();
        // As a node does: the host's settings recorded first, then the network it adds.
        new NodeLeftovers(record, BRIDGE, CHAIN).recordRun(workDir, HostSettings.save());
        leaveNetwork();
        Files.writeString(record.resolve("owner.pid"), Long.toString(deadPid()));

        List<String> found = leftovers.reclaim();

        assertThat(found).anyMatch(f -> f.contains("killed run")).anyMatch(f -> f.contains("bridge " + BRIDGE))
                .anyMatch(f -> f.contains("chain " + CHAIN)).anyMatch(f -> f.startsWith("process " + orphan.pid()));
        assertThat(orphan.isAlive()).isFalse();
        assertThat(exec("ip", "link", "show", BRIDGE).succeeded()).as("bridge").isFalse();
        assertThat(exec("iptables", "-t", "nat", "-S", CHAIN).succeeded()).as("chain").isFalse();
        assertThat(exec("iptables", "-t", "nat", "-S").stdout()).doesNotContain(CHAIN);
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(mountPoint.toString());
        assertThat(workDir).doesNotExist();
        assertThat(record).doesNotExist();
        assertThat(HostSettings.current()).isEqualTo(sysctlsBefore);
        assertThat(leftovers.reclaim()).as("a second start finds nothing").isEmpty();
    }

    @Test
    void withoutARecordTheBridgeAndChainAreStillRemovedByName() {
        leaveNetwork();
        leaveNetwork(); // a chain jumped to twice: two killed runs

        assertThat(leftovers.reclaim()).containsExactly("bridge " + BRIDGE, "iptables nat chain " + CHAIN);

        assertThat(exec("ip", "link", "show", BRIDGE).succeeded()).isFalse();
        assertThat(exec("iptables", "-t", "nat", "-S").stdout()).doesNotContain(CHAIN);
    }

    @Test
    void aNodeOwnedByALiveJvmIsRefusedAndLeftAlone() throws IOException {
        Path workDir = Files.createDirectories(temp.resolve("do-e2e-node-live"));
        leaveNetwork();
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            new NodeLeftovers(record, BRIDGE, CHAIN).recordRun(workDir, HostSettings.save());
            Files.writeString(record.resolve("owner.pid"), Long.toString(owner.pid()));

            assertThatThrownBy(leftovers::reclaim).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another local node runs on this host (JVM pid " + owner.pid())
                    .hasMessageContaining(BRIDGE);
            assertThat(exec("ip", "link", "show", BRIDGE).succeeded()).as("bridge kept").isTrue();
            assertThat(workDir).exists();
            assertThat(record).exists();
        } finally {
            owner.destroyForcibly();
        }
    }

    private void leaveNetwork() {
        if (!exec("ip", "link", "show", BRIDGE).succeeded()) {
            ok("ip", "link", "add", BRIDGE, "type", "bridge");
        }
        exec("iptables", "-t", "nat", "-N", CHAIN);
        ok("iptables", "-t", "nat", "-A", CHAIN, "-d", "10.0.0.250/32", "-p", "tcp", "--dport", "443", "-j", "RETURN");
        ok("iptables", "-t", "nat", "-I", "OUTPUT", "-j", CHAIN);
    }

    private static long deadPid() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        return done.pid();
    }

    private static void ok(String... command) {
        Kubectl.Result result = exec(command);
        assertThat(result.succeeded()).as(result.describe()).isTrue();
    }

    private static Kubectl.Result exec(String... command) {
        return Kubectl.exec(List.of(command), Map.of(), null, COMMAND);
    }
}
