package io.domainoperator.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kubelet changes on the host and the suite puts back: the sysctls it sets at start
 * ({@code kernel.panic} 1 to 10, {@code kernel.panic_on_oops} 0 to 1, {@code vm.overcommit_memory} 0 to 1, as
 * measured here) and the iptables tables (the suite's DNAT rule, whatever kubelet or CNI add).
 */
final class HostSettings {
    private static final Logger LOG = LoggerFactory.getLogger(HostSettings.class);
    static final List<String> SYSCTLS = List.of("kernel.panic", "kernel.panic_on_oops", "vm.overcommit_memory");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** The group kubelet (cgroupfs driver) makes in every hierarchy for the pods' QoS classes. */
    private static final String KUBEPODS = "kubepods";

    private final Map<String, String> sysctls;
    private final String iptables;
    private final List<Path> newKubepods;

    private HostSettings(Map<String, String> sysctls, String iptables, List<Path> newKubepods) {
        this.sysctls = sysctls;
        this.iptables = iptables;
        this.newKubepods = newKubepods;
    }

    static HostSettings save() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : SYSCTLS) {
            values.put(key, read(key));
        }
        Kubectl.Result saved = Kubectl.exec(List.of("iptables-save"), Map.of(), null, TIMEOUT);
        if (!saved.succeeded()) {
            throw new IllegalStateException("cannot save the host's iptables: " + saved.describe());
        }
        return new HostSettings(Map.copyOf(values), saved.stdout(), absentKubepods());
    }

    /**
     * Writes what {@link #restore} puts back into {@code dir}, so a later run can restore it when this JVM is
     * killed before it does ({@link NodeLeftovers}).
     */
    void writeTo(Path dir) throws java.io.IOException {
        StringBuilder lines = new StringBuilder();
        sysctls.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("sysctls"), lines);
        Files.writeString(dir.resolve("iptables.rules"), iptables);
        Files.write(dir.resolve("kubepods"), newKubepods.stream().map(Path::toString).toList());
    }

    /** What {@link #writeTo} wrote, or empty when it is missing or incomplete. */
    static java.util.Optional<HostSettings> readFrom(Path dir) {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("sysctls"))) {
                int eq = line.indexOf('=');
                if (eq > 0 && SYSCTLS.contains(line.substring(0, eq))) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            String iptables = Files.readString(dir.resolve("iptables.rules"));
            List<Path> kubepods = Files.readAllLines(dir.resolve("kubepods")).stream()
                    .filter(l -> !l.isBlank()).map(Path::of).toList();
            return java.util.Optional.of(new HostSettings(Map.copyOf(values), iptables, kubepods));
        } catch (java.io.IOException e) {
            LOG.warn("cannot read the host settings saved in {}: {}", dir, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** The sysctls now, e.g. to show what kubelet changed. */
    static Map<String, String> current() {
        Map<String, String> values = new LinkedHashMap<>();
        SYSCTLS.forEach(key -> values.put(key, read(key)));
        return values;
    }

    Map<String, String> sysctls() {
        return sysctls;
    }

    void restore() {
        sysctls.forEach((key, value) -> {
            try {
                Files.writeString(procPath(key), value);
            } catch (java.io.IOException e) {
                LOG.warn("cannot restore {}={}: {}", key, value, e.getMessage());
            }
        });
        Kubectl.Result restored = Kubectl.exec(List.of("iptables-restore"), Map.of(), iptables, TIMEOUT);
        if (!restored.succeeded()) {
            LOG.warn("cannot restore the host's iptables: {}", restored.describe());
        }
        newKubepods.forEach(HostSettings::removeGroupTree);
        LOG.info("host settings restored: {}, iptables and {} kubelet cgroup trees", sysctls, newKubepods.size());
    }

    /**
     * Kills what still runs in the kubelet cgroups this run made: the containers of a killed run's pods, which
     * outlive their shims and would keep the groups from being removed.
     */
    void killLeftoverPods() {
        for (Path group : newKubepods) {
            if (!Files.isDirectory(group)) {
                continue;
            }
            try (var paths = Files.walk(group)) {
                for (Path procs : paths.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                    for (String pid : Files.readAllLines(procs)) {
                        if (!pid.isBlank()) {
                            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(process -> {
                                process.destroyForcibly();
                                process.onExit().completeOnTimeout(process, 10, java.util.concurrent.TimeUnit.SECONDS).join();
                            });
                        }
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                LOG.warn("cannot list the processes in {}: {}", group, e.getMessage());
            }
        }
    }

    /** The kubepods groups kubelet will make: only those the host did not have (a real kubelet's stay untouched). */
    private static List<Path> absentKubepods() {
        try (var hierarchies = Files.list(CGROUP_ROOT)) {
            return hierarchies.filter(h -> Files.isDirectory(h) && !Files.isSymbolicLink(h))
                    .map(h -> h.resolve(KUBEPODS)).filter(g -> !Files.exists(g)).toList();
        } catch (java.io.IOException e) {
            LOG.warn("cannot list {}: {}", CGROUP_ROOT, e.getMessage());
            return List.of();
        }
    }

    /** A cgroup directory is removed with rmdir once it holds no process; its children first. */
    private static void removeGroupTree(Path group) {
        if (!Files.isDirectory(group)) {
            return;
        }
        try (var paths = Files.walk(group)) {
            for (Path dir : paths.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(dir);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.warn("cannot remove kubelet's cgroup {}: {}", group, e.getMessage());
        }
    }

    private static String read(String key) {
        try {
            return Files.readString(procPath(key)).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read sysctl " + key + ": " + e.getMessage(), e);
        }
    }

    private static Path procPath(String key) {
        return Path.of("/proc/sys", key.replace('.', '/'));
    }
}
