package io.domainoperator.e2e.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import io.domainoperator.testing.Manifests;

/**
 * The real parts the QEMU scenarios need: {@code qemu-system-x86_64} on PATH and the tiny Linux guest that
 * {@code .ci/setup.d/30-qemu-guest.sh} builds into the cache directory (system property
 * {@code domainoperator.cache}, else {@code DOMAIN_OPERATOR_CACHE}, else ~/.cache/domain-operator), and a
 * look at the machine's processes to count the QEMUs an agent started.
 */
public final class QemuGuest {

    public static final String QEMU = "qemu-system-x86_64";
    /** Where the repository's examples expect the guest (scripts/demo-guest.sh copies it there, as root). */
    public static final String EXAMPLES_IMAGE_DIR = "/var/lib/domain-operator/images/tiny-linux";

    private QemuGuest() {}

    /** The guest directory (vmlinuz, initrd.img, cmdline); skips the test when QEMU or the guest is absent. */
    public static Path assumeAvailable() {
        boolean qemu = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, QEMU)));
        assumeTrue(qemu, QEMU + " is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it (Debian qemu-system-x86)");
        Path guest = cacheDir().resolve("guest");
        assumeTrue(Files.exists(guest.resolve("READY")), "no tiny Linux guest in " + guest
                + ": run .ci/setup.d/30-qemu-guest.sh (it builds one from Debian's kernel and busybox)");
        return guest;
    }

    public static Path cacheDir() {
        String configured = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "domain-operator");
    }

    /**
     * A repository example as a user on this machine would adapt it: the guest images where they are here
     * rather than under /var/lib (which needs root), and no namespace, so {@code kubectl apply -n} places it.
     */
    public static String example(Path exampleFile, Path guest) {
        try {
            return Files.readString(exampleFile)
                    .replace(EXAMPLES_IMAGE_DIR, guest.toString())
                    .replaceAll("(?m)^  namespace: .*\\n", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-vCPU guest booting the tiny Linux directly from its kernel, on {@code node}. */
    public static String domain(String name, String node, Path guest) {
        return Manifests.domainConfig(name, "nodeName: " + node, "virtualizationMode: HVM", "vcpus: 1", "memoryMiB: 128",
                "kernel: " + guest.resolve("vmlinuz"), "ramdisk: " + guest.resolve("initrd.img"),
                "cmdline: \"console=ttyS0 quiet\"", "shutdownTimeoutSeconds: 30");
    }

    /**
     * Pids of the QEMU processes running domain {@code domainName} for the agent with {@code stateDir}: QEMU
     * names the guest with {@code -name guest=<name>,...} and keeps its sockets under the state directory.
     */
    public static List<Long> processes(Path stateDir, String domainName) {
        String state = stateDir.toString();
        String guestName = "guest=" + domainName + ",";
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    List<String> argv = cmdline(p.pid());
                    return !argv.isEmpty() && argv.getFirst().endsWith(QEMU)
                            && argv.stream().anyMatch(a -> a.startsWith(guestName))
                            && argv.stream().anyMatch(a -> a.contains(state));
                })
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Kills every QEMU the agent with {@code stateDir} left, so a failed scenario leaves no guest behind. */
    public static void killAll(Path stateDir) {
        String state = stateDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> {
                    List<String> argv = cmdline(p.pid());
                    return !argv.isEmpty() && argv.getFirst().endsWith(QEMU) && argv.stream().anyMatch(a -> a.contains(state));
                })
                .forEach(ProcessHandle::destroyForcibly);
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // exited meanwhile, or not ours to read
        }
    }
}
