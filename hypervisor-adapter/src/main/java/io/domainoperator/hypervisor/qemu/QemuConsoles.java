package io.domainoperator.hypervisor.qemu;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.Vnc;
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
        DomainConfigSpec spec = record.definition().spec();
        boolean serial = "pty".equals(spec.serialOrDefault());
        String socketArg = "socket,id=serial0,path=" + QemuCommandLine.opt(paths.consoleSocket().toString()) + ",";
        boolean socket = serial && record.argv().stream().anyMatch(a -> a.startsWith(socketArg));
        Vnc vnc = spec.getVnc();
        boolean vncOn = vnc != null && vnc.enabledOrDefault();
        Integer display = !vncOn ? null : vnc.getDisplay() != null ? vnc.getDisplay() : record.domainId();
        return new ConsoleEndpoints(null, socket ? paths.consoleSocket().toString() : null,
            serial ? paths.consoleLog().toString() : null, vncOn ? vnc.listenOrDefault() : null,
            display == null ? null : ConsoleEndpoints.VNC_BASE_PORT + display);
    }
}
