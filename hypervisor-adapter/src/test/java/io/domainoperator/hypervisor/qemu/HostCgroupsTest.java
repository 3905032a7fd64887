package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link HostCgroups} writes into a cgroup tree, on temp trees laid out as the kernel lays out v1 (a tree
 * per controller, cpu and cpuacct as symlinks to one, a cgroup2 tree at unified) and v2. The kernel's own
 * behaviour (moving the process, rmdir of a group) is proven by {@code HostCgroupsIT} on the real tree.
 */
class HostCgroupsTest {
    private static final long LIMIT = 384L * 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void v1MovesTheProcessIntoEveryTreeWithTheMemoryLimitAndTheParentsCpuset() throws IOException {
        tree("memory", "memory.limit_in_bytes");
        tree("cpu,cpuacct", "cpuacct.usage");
        Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), root.resolve("cpu,cpuacct"));
        tree("cpuset");
        Files.writeString(root.resolve("cpuset/cpuset.cpus"), "0-1\n");
        Files.writeString(root.resolve("cpuset/cpuset.mems"), "0\n");
        tree("freezer");
        tree("systemd");
        tree("unified", "cgroup.controllers");
        // The kernel creates the interface files with the group; a fake tree gets them when the test makes them.
        kernelMakes("memory", "memory.limit_in_bytes");
        kernelMakes("cpuset", "cpuset.cpus", "cpuset.mems");

        HostCgroups cgroups = (HostCgroups) HostCgroups.detect(root, "domain-operator");
        cgroups.place("nfs-server", 4242, LIMIT);

        assertThat(cgroups.hierarchies()).hasSize(6);
        for (String tree : new String[] {"memory", "cpu,cpuacct", "cpuset", "freezer", "systemd", "unified"}) {
            assertThat(root.resolve(tree).resolve("domain-operator/nfs-server/cgroup.procs")).as(tree).hasContent("4242");
        }
        assertThat(root.resolve("memory/domain-operator/nfs-server/memory.limit_in_bytes")).hasContent(Long.toString(LIMIT));
        assertThat(root.resolve("cpuset/domain-operator/cpuset.cpus")).hasContent("0-1");
        assertThat(root.resolve("cpuset/domain-operator/nfs-server/cpuset.mems")).hasContent("0");
        assertThat(cgroups.description()).startsWith("cgroup v1").contains("domain-operator/<domain>");
    }

    @Test
    void v1ReadsCpuTimeFromCpuacct() throws IOException {
        tree("cpu,cpuacct", "cpuacct.usage");
        Files.createDirectories(root.resolve("cpu,cpuacct/domain-operator/nfs-server"));
        Files.writeString(root.resolve("cpu,cpuacct/domain-operator/nfs-server/cpuacct.usage"), "1500000000\n");

        assertThat(HostCgroups.detect(root, "domain-operator").cpuNanos("nfs-server")).hasValue(1_500_000_000L);
        assertThat(HostCgroups.detect(root, "domain-operator").cpuNanos("other")).isEmpty();
    }

    @Test
    void v2EnablesMemoryAndCpuForTheDomainsAndSetsMemoryMax() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup.procs"), "");
        Files.createDirectories(root.resolve("domain-operator/nfs-server"));
        Files.writeString(root.resolve("domain-operator/cgroup.controllers"), "cpu memory\n");
        Files.writeString(root.resolve("domain-operator/cgroup.subtree_control"), "");
        Files.writeString(root.resolve("domain-operator/nfs-server/memory.max"), "max\n");
        Files.writeString(root.resolve("domain-operator/nfs-server/cpu.stat"), "usage_usec 2500\nuser_usec 2000\n");

        GuestCgroups cgroups = HostCgroups.detect(root, "domain-operator");
        cgroups.place("nfs-server", 4242, LIMIT);

        assertThat(root.resolve("domain-operator/nfs-server/cgroup.procs")).hasContent("4242");
        assertThat(root.resolve("domain-operator/nfs-server/memory.max")).hasContent(Long.toString(LIMIT));
        // A fake file keeps the last write; the kernel would hold both controllers.
        assertThat(root.resolve("domain-operator/cgroup.subtree_control")).hasContent("+cpu");
        assertThat(cgroups.cpuNanos("nfs-server")).hasValue(2_500_000L);
        assertThat(cgroups.description()).startsWith("cgroup v2");
    }

    @Test
    void noCgroupFileSystemMeansNoCgroupHandling() {
        assertThat(HostCgroups.detect(root.resolve("absent"), "domain-operator")).isSameAs(GuestCgroups.NONE);
        assertThat(HostCgroups.detect(root, "domain-operator")).isSameAs(GuestCgroups.NONE);
    }

    @Test
    void theParentIsOneDirectoryName() {
        assertThatThrownBy(() -> HostCgroups.detect(root, "../escape"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one plain directory name");
    }

    @Test
    void aGroupThatCannotBeMadeFailsNamingIt() throws IOException {
        tree("memory", "memory.limit_in_bytes");
        Files.writeString(root.resolve("memory/domain-operator"), "a file where the group should be");

        assertThatThrownBy(() -> HostCgroups.detect(root, "domain-operator").place("nfs-server", 4242, LIMIT))
            .isInstanceOf(GuestCgroups.CgroupException.class).hasMessageContaining("memory/domain-operator");
    }

    /** A hierarchy's root directory as the kernel mounts it: cgroup.procs plus the controller's files. */
    private void tree(String name, String... files) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("cgroup.procs"), "1\n");
        for (String file : files) {
            Files.writeString(dir.resolve(file), "");
        }
    }

    private void kernelMakes(String tree, String... files) throws IOException {
        for (String group : new String[] {"domain-operator", "domain-operator/nfs-server"}) {
            Path dir = Files.createDirectories(root.resolve(tree).resolve(group));
            for (String file : files) {
                Files.writeString(dir.resolve(file), "");
            }
        }
    }
}
