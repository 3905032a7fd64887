package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a domain's serial console is on its node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SerialConsoleStatus {
    @JsonPropertyDescription("Host pty of the serial console (Xen: from xenstore, what `xl console` attaches to).")
    private String pty;

    @JsonPropertyDescription("Unix socket serving the serial console (QEMU backend), what `domain-operator console` attaches to.")
    private String socket;

    @JsonPropertyDescription("File the serial output is logged to on the node, kept under the agent's --console-log-max-bytes (QEMU backend).")
    private String log;

    public SerialConsoleStatus() {
    }

    public SerialConsoleStatus(String pty, String socket, String log) {
        this.pty = pty;
        this.socket = socket;
        this.log = log;
    }

    public String getPty() { return pty; }
    public void setPty(String pty) { this.pty = pty; }
    public String getSocket() { return socket; }
    public void setSocket(String socket) { this.socket = socket; }
    public String getLog() { return log; }
    public void setLog(String log) { this.log = log; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SerialConsoleStatus s && Objects.equals(pty, s.pty) && Objects.equals(socket, s.socket)
            && Objects.equals(log, s.log);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pty, socket, log);
    }
}
