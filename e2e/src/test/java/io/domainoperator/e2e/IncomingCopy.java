package io.domainoperator.e2e;

import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.QemuGuest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The target failing mid-copy: the incoming QEMU ({@code -incoming tcp:HOST:PORT}) is killed with SIGKILL the moment
 * the source's stream to that port is established, i.e. while the memory copy runs (it takes half a second and more
 * under TCG; the connection is looked for every 10 ms in {@code /proc/net/tcp}, no kubectl in between).
 */
final class IncomingCopy {
    private IncomingCopy() {
    }

    /**
     * @param before the target's QEMUs of {@code domain} before the migration: a copy that once arrived by migration
     *               has {@code -incoming} on its command line too, and is not the one to kill
     */
    static void killTargetMidCopy(Path targetState, String domain, List<Long> before) {
        long[] pidAndPort = new long[2];
        await("the incoming QEMU of " + domain + " listening").atMost(Domains.CONVERGE).pollInterval(Duration.ofMillis(50))
            .until(() -> {
                for (long pid : QemuGuest.processes(targetState, domain)) {
                    if (before.contains(pid)) {
                        continue;
                    }
                    Optional<Integer> port = incomingPort(pid);
                    if (port.isPresent()) {
                        pidAndPort[0] = pid;
                        pidAndPort[1] = port.get();
                        return true;
                    }
                }
                return false;
            });
        await("the source's stream to port " + pidAndPort[1]).atMost(Domains.CONVERGE).pollInterval(Duration.ofMillis(10))
            .until(() -> established((int) pidAndPort[1]));
        ProcessHandle.of(pidAndPort[0]).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The port of {@code -incoming tcp:HOST:PORT} on QEMU's command line. */
    private static Optional<Integer> incomingPort(long pid) {
        try {
            List<String> argv = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"),
                StandardCharsets.UTF_8).split("\0"));
            int i = argv.indexOf("-incoming");
            if (i < 0 || i + 1 >= argv.size() || !argv.get(i + 1).startsWith("tcp:")) {
                return Optional.empty();
            }
            String uri = argv.get(i + 1);
            return Optional.of(Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1)));
        } catch (IOException e) {
            return Optional.empty(); // exited meanwhile
        }
    }

    /** Whether a TCP connection to or from local port {@code port} is ESTABLISHED (state 01 in /proc/net/tcp). */
    private static boolean established(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue; // no IPv6 on this host
            }
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(hexPort) && "01".equals(f[3])) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
        }
        return false;
    }
}
