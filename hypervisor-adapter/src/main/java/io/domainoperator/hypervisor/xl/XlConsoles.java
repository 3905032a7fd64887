package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.ConsoleEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Xen domain's consoles, where Xen 4.17 publishes them in xenstore under {@code /local/domain/<domid>/}: the
 * serial port's pty at {@code serial/0/tty} (written by the device model of an HVM guest with
 * {@code serial='pty'}; what {@code xl console} attaches to for HVM), the PV console's pty at
 * {@code console/tty} (xenconsoled; {@code xl console}'s default for PV and PVH), and the VNC server's
 * {@code console/vnc-listen} and {@code console/vnc-port} (what {@code xl vncviewer} reads). The serial log is
 * xenconsoled's {@code /var/log/xen/console/guest-<name>.log} when xenconsoled logs guests (its
 * {@code --log=guest}), rotated by the host's logrotate as Xen ships it.
 *
 * <p>The ptys and the port are fixed for a domain id's life, so each domain id is read once.
 */
final class XlConsoles {
    static final Path XENCONSOLED_LOG_DIR = Path.of("/var/log/xen/console");

    private final CommandRunner runner;
    private final String xenstoreRead;
    private final Duration timeout;
    private final Path logDir;
    private final Map<String, Cached> byName = new ConcurrentHashMap<>();

    private record Cached(int domainId, ConsoleEndpoints endpoints) {
    }

    XlConsoles(CommandRunner runner, String xenstoreRead, Duration timeout, Path logDir) {
        this.runner = runner;
        this.xenstoreRead = xenstoreRead;
        this.timeout = timeout;
        this.logDir = logDir;
    }

    ConsoleEndpoints of(String name, int domainId) {
        Cached cached = byName.get(name);
        if (cached != null && cached.domainId() == domainId) {
            return cached.endpoints();
        }
        String base = "/local/domain/" + domainId + "/";
        String serial = read(base + "serial/0/tty");
        String pty = serial != null ? serial : read(base + "console/tty");
        String listen = read(base + "console/vnc-listen");
        String port = read(base + "console/vnc-port");
        Path log = logDir.resolve("guest-" + name + ".log");
        ConsoleEndpoints endpoints = new ConsoleEndpoints(pty, null, Files.exists(log) ? log.toString() : null,
            port == null ? null : listen, port == null ? null : parsePort(port));
        if (pty != null) {
            // Not yet written means not yet known (the device model may still be starting): read again next time.
            byName.put(name, new Cached(domainId, endpoints));
        }
        return endpoints;
    }

    void forget(String name) {
        byName.remove(name);
    }

    /** A xenstore value, or null when the path does not exist (or xenstore cannot be read). */
    private String read(String path) {
        try {
            CommandResult result = runner.runAllowingFailure(List.of(xenstoreRead, path), timeout);
            String value = result.stdout().strip();
            return result.succeeded() && !value.isEmpty() ? value : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Integer parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
