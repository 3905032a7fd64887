package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The consoles of a running domain, as its node set them up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConsoleStatus {
    @JsonPropertyDescription("Serial console: pty, socket and log file on the node. Attach with `domain-operator console <domain>` on the node, or `domain-operator console --kubectl <DomainConfig>` from a workstation.")
    private SerialConsoleStatus serial;

    @JsonPropertyDescription("Graphical console, when spec.vnc.enabled.")
    private VncConsoleStatus vnc;

    public ConsoleStatus() {
    }

    public ConsoleStatus(SerialConsoleStatus serial, VncConsoleStatus vnc) {
        this.serial = serial;
        this.vnc = vnc;
    }

    public SerialConsoleStatus getSerial() { return serial; }
    public void setSerial(SerialConsoleStatus serial) { this.serial = serial; }
    public VncConsoleStatus getVnc() { return vnc; }
    public void setVnc(VncConsoleStatus vnc) { this.vnc = vnc; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsoleStatus c && Objects.equals(serial, c.serial) && Objects.equals(vnc, c.vnc);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serial, vnc);
    }
}
