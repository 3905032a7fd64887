package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HostCgroups} on this machine's real cgroup tree (v1, v2 or both): a process is moved out of the test's
 * own groups into {@code <parent>/<domain>} of every hierarchy, with the memory limit the kernel then enforces,
 * and the groups are removed once it has ended. Runs as root; elsewhere it is skipped, saying so.
 */
class HostCgroupsIT {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final String parent = "domain-operator-it-" + UUID.randomUUID().toString().substring(0, 8);
    private Process sleeper;
    private GuestCgroups cgroups;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (sleeper != null) {
            sleeper.destroyForcibly().waitFor();
        }
        if (cgroups instanceof HostCgroups host) {
            cgroups.remove("guest");
            for (Path tree : host.hierarchies()) {
                try {
                    Files.deleteIfExists(tree.resolve(parent));
                } catch (IOException e) {
                    // left for the next boot; named in the log of the test that made it
                }
            }
        }
    }

    @Test
    void aProcessMovesIntoItsOwnGroupInEveryHierarchyAndTheGroupGoesWithIt() throws Exception {
        cgroups = HostCgroups.detect(ROOT, parent);
        assumeThat(cgroups).as("a writable cgroup tree at " + ROOT + " (run as root)").isInstanceOf(HostCgroups.class);
        sleeper = new ProcessBuilder("sleep", "300").start();
        long limit = 200L * 1024 * 1024;

        cgroups.place("guest", sleeper.pid(), limit);

        List<String> membership = Files.readAllLines(Path.of("/proc", Long.toString(sleeper.pid()), "cgroup"));
        assertThat(membership).as("/proc/pid/cgroup of the moved process")
            .allSatisfy(line -> assertThat(line).endsWith(":/" + parent + "/guest"));
        Path memory = ((HostCgroups) cgroups).hierarchies().stream()
            .map(tree -> tree.resolve(parent).resolve("guest"))
            .filter(group -> Files.exists(group.resolve("memory.limit_in_bytes")) || Files.exists(group.resolve("memory.max")))
            .findFirst().orElseThrow();
        Path limitFile = Files.exists(memory.resolve("memory.max")) ? memory.resolve("memory.max") : memory.resolve("memory.limit_in_bytes");
        assertThat(Files.readString(limitFile).strip()).isEqualTo(Long.toString(limit));
        cgroups.place("guest", sleeper.pid(), limit); // a re-attaching agent places it again: nothing changes

        sleeper.destroyForcibly().waitFor();
        cgroups.remove("guest");
        for (Path tree : ((HostCgroups) cgroups).hierarchies()) {
            assertThat(tree.resolve(parent).resolve("guest")).doesNotExist();
        }
    }
}
