package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.Console;
import io.domainoperator.hypervisor.ConsoleEndpoints;

/**
 * The consoles of a QEMU domain, read from what was launched ({@code domain.json}): no QMP round trip, and the same
 * answer after an agent restart. A domain launched by an older agent with a pty serial port has no console
 * socket; its log is still reported.
 */
final class QemuConsoles {
    private QemuConsoles() {
    }

    static ConsoleEndpoints of(DomainRecord record, DomainPaths paths) {
        Console console = record.definition().console();
        boolean serial = "pty".equals(console.serial());
        String socketArg = "socket,id=serial0,path=" + QemuCommandLine.opt(paths.consoleSocket().toString()) + ",";
        boolean socket = serial && record.argv().stream().anyMatch(a -> a.startsWith(socketArg));
        Console.Vnc vnc = console.vnc();
        boolean vncOn = console.vncEnabled();
        Integer display = !vncOn ? null : vnc.display() != null ? vnc.display() : record.domainId();
        return new ConsoleEndpoints(null, socket ? paths.consoleSocket().toString() : null,
            serial ? paths.consoleLog().toString() : null, vncOn ? vnc.listen() : null,
            display == null ? null : ConsoleEndpoints.VNC_BASE_PORT + display);
    }
}
