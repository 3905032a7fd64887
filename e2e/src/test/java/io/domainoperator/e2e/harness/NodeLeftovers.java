package io.domainoperator.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link LocalKubeNode} leaves on the host when its JVM dies without closing it (SIGKILL, a CI job
 * cancelled, a session ended mid-run): the pods' bridge and the DNAT chain, kubelet's sysctls, its work
 * directory with mounts in it, its kubelet and containerd. The next node would fail at once on
 * {@code ip link add} ("File exists"), so a node reclaims all of it before it starts.
 *
 * <p>A running node keeps a record in {@link #RECORD}: the pid of the JVM that owns it, its work directory
 * and the host settings saved before kubelet changed them ({@link HostSettings#writeTo}). A record whose JVM
 * is gone is a killed run: its processes are killed, its mounts and directory removed and its host settings
 * restored. A record whose JVM still runs means another suite holds the node's fixed names: that is refused
 * with the pid, never reclaimed. Without a record (a run from before records existed), the bridge and the
 * chain are still removed by name, since nothing else on a host uses them.
 */
final class NodeLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLeftovers.class);
    static final Path RECORD = Path.of("/run/domain-operator-e2e-node");
    private static final Duration COMMAND = Duration.ofSeconds(30);

    private final Path record;
    private final String bridge;
    private final String natChain;

    NodeLeftovers(Path record, String bridge, String natChain) {
        this.record = record;
        this.bridge = bridge;
        this.natChain = natChain;
    }

    /** Removes what a killed run left; returns what was found, for the log and for tests. */
    List<String> reclaim() {
        List<String> found = new ArrayList<>();
        Optional<Path> killedWorkDir = killedRun();
        if (killedWorkDir.isPresent()) {
            Path workDir = killedWorkDir.get();
            found.add("record of a killed run (work directory " + workDir + ")");
            for (ProcessHandle process : processesUsing(workDir)) {
                found.add("process " + process.pid() + " " + process.info().command().orElse("?"));
                process.destroyForcibly();
                process.onExit().completeOnTimeout(process, 10, java.util.concurrent.TimeUnit.SECONDS).join();
            }
            unmountUnder(workDir);
            deleteTree(workDir);
        }
        if (exec("ip", "link", "show", bridge).succeeded()) {
            found.add("bridge " + bridge);
            exec("ip", "link", "del", bridge);
        }
        if (exec("iptables", "-t", "nat", "-S", natChain).succeeded()) {
            found.add("iptables nat chain " + natChain);
            removeChain();
        }
        if (killedWorkDir.isPresent()) {
            // After the chain is gone by name: the saved tables are the host's own, from before that run.
            HostSettings.readFrom(record).ifPresent(saved -> {
                saved.killLeftoverPods();
                saved.restore();
            });
            deleteTree(record);
        }
        if (!found.isEmpty()) {
            LOG.warn("reclaimed what an earlier local node left on this host: {}", found);
        }
        return found;
    }

    /** Records this JVM as the node's owner, with its work directory and the host's settings before kubelet. */
    void recordRun(Path workDir, HostSettings saved) {
        try {
            Files.createDirectories(record);
            Files.writeString(record.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(record.resolve("workdir"), workDir.toString());
            saved.writeTo(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the local node in " + record, e);
        }
    }

    /** The node closed normally: nothing to reclaim next time. */
    void clearRecord() {
        deleteTree(record);
    }

    void removeChain() {
        for (String chain : List.of("PREROUTING", "OUTPUT")) {
            while (exec("iptables", "-t", "nat", "-D", chain, "-j", natChain).succeeded()) {
                // A chain jumped to twice (two killed runs) needs two deletes.
            }
        }
        exec("iptables", "-t", "nat", "-F", natChain);
        exec("iptables", "-t", "nat", "-X", natChain);
    }

    /** The work directory of a run whose JVM is gone; a live owner is another suite's node, so it is refused. */
    private Optional<Path> killedRun() {
        Path ownerFile = record.resolve("owner.pid");
        if (!Files.isRegularFile(ownerFile)) {
            return Optional.empty();
        }
        try {
            long owner = Long.parseLong(Files.readString(ownerFile).strip());
            Optional<ProcessHandle> live = ProcessHandle.of(owner).filter(ProcessHandle::isAlive);
            if (live.isPresent() && owner != ProcessHandle.current().pid()) {
                throw new IllegalStateException("another local node runs on this host (JVM pid " + owner + ", "
                        + live.get().info().commandLine().orElse("?") + "); one node at a time: its bridge "
                        + bridge + " and chain " + natChain + " are fixed names. Wait for it, or kill it and rerun.");
            }
            return Optional.of(Path.of(Files.readString(record.resolve("workdir")).strip()));
        } catch (IOException | NumberFormatException e) {
            LOG.warn("unreadable local node record {} ({}); reclaiming by name only", record, e.getMessage());
            deleteTree(record);
            return Optional.empty();
        }
    }

    /** kubelet, containerd and its shims: every process whose command line names the work directory. */
    static List<ProcessHandle> processesUsing(Path workDir) {
        String needle = workDir.toString();
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(e -> e.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != ProcessHandle.current().pid() && commandLine(entry).contains(needle)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list processes: {}", e.getMessage());
        }
        return found;
    }

    /** {@code /proc/<pid>/cmdline} with its NULs as spaces; empty for a process gone meanwhile. */
    private static String commandLine(Path procEntry) {
        try {
            return new String(Files.readAllBytes(procEntry.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Container rootfs, shm and secret volumes are mounted below the work directory; lazily unmounted, deepest first. */
    static void unmountUnder(Path dir) {
        try {
            List<String> mountPoints = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4])
                    .filter(point -> point.equals(dir.toString()) || point.startsWith(dir + "/"))
                    .sorted(Comparator.reverseOrder()).toList();
            for (String point : mountPoints) {
                exec("umount", "-l", point);
            }
        } catch (IOException e) {
            LOG.warn("cannot list mounts under {}: {}", dir, e.getMessage());
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    private static Kubectl.Result exec(String... command) {
        return Kubectl.exec(List.of(command), Map.of(), null, COMMAND);
    }
}
