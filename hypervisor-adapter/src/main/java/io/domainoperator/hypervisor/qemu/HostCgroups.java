package io.domainoperator.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GuestCgroups} over the host's cgroup file system: {@code <root>/<parent>/<domain>} in every mounted
 * hierarchy.
 *
 * <ul>
 * <li>cgroup v2 (one unified tree, {@code <root>/cgroup.controllers} exists): the memory limit is
 *     {@code memory.max}, CPU time {@code cpu.stat}'s {@code usage_usec}; the parent group enables the memory and
 *     cpu controllers for its children.</li>
 * <li>cgroup v1 (a tree per controller, {@code <root>/memory}, {@code <root>/cpu,cpuacct}, ..., possibly with a
 *     cgroup2 tree at {@code <root>/unified}): the process moves in every tree, so no tree's group of the pod
 *     (freezer, pids, devices, name=systemd) still holds it when the runtime kills the pod's processes. The limit
 *     is {@code memory.limit_in_bytes}, CPU time {@code cpuacct.usage}; new cpuset groups get their parent's
 *     cpus and mems (the kernel refuses tasks into an empty cpuset).</li>
 * </ul>
 * The root is the host's {@code /sys/fs/cgroup} as the agent sees it: inside a pod, the host's {@code /sys}
 * mounted at {@code /host/sys} (a container's own {@code /sys/fs/cgroup} shows only its own groups).
 */
public final class HostCgroups implements GuestCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(HostCgroups.class);

    private static final int REMOVE_ATTEMPTS = 20;
    private static final java.time.Duration REMOVE_RETRY = java.time.Duration.ofMillis(100);

    private final Path root;
    private final String parent;
    private final List<Path> hierarchies;
    private final boolean unified;

    private HostCgroups(Path root, String parent, List<Path> hierarchies, boolean unified) {
        this.root = root;
        this.parent = parent;
        this.hierarchies = hierarchies;
        this.unified = unified;
    }

    /**
     * The hierarchies mounted under {@code root}; {@link GuestCgroups#NONE} when there are none (no cgroup file
     * system there), so that a node without one still runs its guests, only not past an agent restart.
     *
     * @param parent the group that holds every domain's group, e.g. {@code domain-operator}
     */
    public static GuestCgroups detect(Path root, String parent) {
        if (!parent.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("the cgroup parent must be one plain directory name, got '" + parent + "'");
        }
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            if (!Files.isWritable(root)) {
                LOG.info("the cgroup tree {} is read-only here: QEMU stays in the agent's cgroup", root);
                return NONE;
            }
            return new HostCgroups(root, parent, List.of(root), true);
        }
        Set<Path> trees = new LinkedHashSet<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                // cpu and cpuacct are usually symlinks to cpu,cpuacct: one tree, moved into once.
                if (Files.isRegularFile(entry.resolve("cgroup.procs")) && Files.isWritable(entry)) {
                    trees.add(entry.toRealPath());
                }
            }
        } catch (IOException e) {
            LOG.info("no cgroup file system under {} ({}): QEMU stays in the agent's cgroup", root, e.getMessage());
            return NONE;
        }
        if (trees.isEmpty()) {
            LOG.info("no writable cgroup hierarchy under {}: QEMU stays in the agent's cgroup", root);
            return NONE;
        }
        return new HostCgroups(root, parent, List.copyOf(trees), false);
    }

    @Override
    public void place(String domain, long pid, long memoryLimitBytes) {
        for (Path tree : hierarchies) {
            Path parentDir = tree.resolve(parent);
            Path group = parentDir.resolve(domain);
            makeGroup(parentDir);
            if (Files.isRegularFile(parentDir.resolve("cgroup.controllers"))) {
                enableControllers(parentDir);
            }
            makeGroup(group);
            if (Files.exists(group.resolve("memory.max"))) {
                write(group.resolve("memory.max"), Long.toString(memoryLimitBytes));
            }
            if (Files.exists(group.resolve("memory.limit_in_bytes"))) {
                write(group.resolve("memory.limit_in_bytes"), Long.toString(memoryLimitBytes));
            }
            write(group.resolve("cgroup.procs"), Long.toString(pid));
        }
        LOG.info("domain {}: QEMU pid {} in cgroup {}/{} ({} hierarchies), memory limit {} MiB", domain, pid, parent,
            domain, hierarchies.size(), memoryLimitBytes / (1024 * 1024));
    }

    @Override
    public OptionalLong cpuNanos(String domain) {
        for (Path tree : hierarchies) {
            Path group = tree.resolve(parent).resolve(domain);
            try {
                if (Files.exists(group.resolve("cpuacct.usage"))) {
                    return OptionalLong.of(Long.parseLong(Files.readString(group.resolve("cpuacct.usage")).strip()));
                }
                if (Files.exists(group.resolve("cpu.stat"))) {
                    for (String line : Files.readAllLines(group.resolve("cpu.stat"))) {
                        if (line.startsWith("usage_usec ")) {
                            return OptionalLong.of(Long.parseLong(line.substring("usage_usec ".length()).strip()) * 1000);
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                LOG.debug("domain {}: cannot read CPU time of {}: {}", domain, group, e.getMessage());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void remove(String domain) {
        for (Path tree : hierarchies) {
            Path group = tree.resolve(parent).resolve(domain);
            for (int attempt = 1; ; attempt++) {
                try {
                    // rmdir: the kernel removes a cgroup directory with its interface files when no process is left.
                    Files.deleteIfExists(group);
                    break;
                } catch (DirectoryNotEmptyException e) {
                    LOG.warn("domain {}: {} is not an empty cgroup, left in place", domain, group);
                    break;
                } catch (IOException e) {
                    // EBUSY: a QEMU just killed stays a member until its parent (init) has reaped it.
                    if (attempt >= REMOVE_ATTEMPTS) {
                        LOG.warn("domain {}: cannot remove cgroup {}: {}", domain, group, e.getMessage());
                        break;
                    }
                    try {
                        Thread.sleep(REMOVE_RETRY.toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public String description() {
        return (unified ? "cgroup v2 " : "cgroup v1 ") + root + ", group " + parent + "/<domain> in "
            + hierarchies.stream().map(root::relativize).map(Path::toString).map(s -> s.isEmpty() ? "." : s)
                .collect(Collectors.joining(", "));
    }

    /** The hierarchies a domain's QEMU is moved into (tests check which were found). */
    List<Path> hierarchies() {
        return hierarchies;
    }

    private void makeGroup(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new CgroupException("cannot create cgroup " + dir + ": a file of that name is in the way", e);
            }
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + " (" + e + "); the agent needs the host's cgroup"
                + " file system writable (privileged, host /sys mounted)", e);
        }
        inheritCpuset(dir);
    }

    /** A v1 cpuset group starts with no cpus and no mems, and takes no task until it has both (checked each time). */
    private void inheritCpuset(Path dir) {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            Path own = dir.resolve(file);
            if (!Files.exists(own)) {
                continue;
            }
            try {
                if (Files.readString(own).isBlank()) {
                    write(own, Files.readString(dir.getParent().resolve(file)).strip());
                }
            } catch (IOException e) {
                throw new CgroupException("cannot give the new cpuset " + dir + " its parent's " + file + ": " + e, e);
            }
        }
    }

    /**
     * Lets the domains' groups limit memory and account CPU (v2 delegates controllers top-down). Controllers the
     * host's root does not enable for its children cannot be had: the group then only holds the process.
     */
    private void enableControllers(Path parentDir) {
        List<String> missing = new ArrayList<>();
        for (String controller : new String[] {"memory", "cpu"}) {
            try {
                String enabled = Files.readString(parentDir.resolve("cgroup.subtree_control"));
                if (!List.of(enabled.strip().split("\\s+")).contains(controller)) {
                    Files.writeString(parentDir.resolve("cgroup.subtree_control"), "+" + controller);
                }
            } catch (IOException e) {
                missing.add(controller);
            }
        }
        if (!missing.isEmpty()) {
            LOG.debug("cgroup {}: controllers {} not available to its children", parentDir, missing);
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (NoSuchFileException e) {
            throw new CgroupException("no " + file + ": not a cgroup directory", e);
        } catch (IOException e) {
            throw new CgroupException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }
}
