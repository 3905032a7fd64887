package io.domainoperator.hypervisor;

/**
 * Where a running domain's consoles are on its node, as the backend set them up. Any part may be null: a domain
 * with {@code serial: none} has no serial console, one without VNC no graphical console.
 *
 * @param serialPty    the host pty of the serial console (Xen: the tty xenconsoled or QEMU allocated, from xenstore)
 * @param serialSocket the unix socket serving the serial console (QEMU backend: {@code <dir>/console.sock})
 * @param serialLog    the file the serial output is logged to, bounded by the backend where it owns the file
 * @param vncListen    the address the VNC server listens on
 * @param vncPort      its TCP port (5900 + display)
 */
public record ConsoleEndpoints(String serialPty, String serialSocket, String serialLog, String vncListen,
                               Integer vncPort) {
    public static final int VNC_BASE_PORT = 5900;

    public static final ConsoleEndpoints NONE = new ConsoleEndpoints(null, null, null, null, null);

    public boolean isEmpty() {
        return serialPty == null && serialSocket == null && serialLog == null && vncListen == null && vncPort == null;
    }

    /** The VNC display number (port minus 5900), or null. */
    public Integer vncDisplay() {
        return vncPort == null ? null : vncPort - VNC_BASE_PORT;
    }
}
