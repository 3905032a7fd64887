package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a domain's VNC server listens. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VncConsoleStatus {
    @JsonPropertyDescription("Address the VNC server listens on.")
    private String listen;

    @JsonPropertyDescription("TCP port of the VNC server (5900 + display).")
    private Integer port;

    @JsonPropertyDescription("VNC display number (port - 5900), as vncviewer takes it: <node>:<display>.")
    private Integer display;

    public VncConsoleStatus() {
    }

    public VncConsoleStatus(String listen, Integer port, Integer display) {
        this.listen = listen;
        this.port = port;
        this.display = display;
    }

    public String getListen() { return listen; }
    public void setListen(String listen) { this.listen = listen; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public Integer getDisplay() { return display; }
    public void setDisplay(Integer display) { this.display = display; }

    @Override
    public boolean equals(Object o) {
        return o instanceof VncConsoleStatus v && Objects.equals(listen, v.listen) && Objects.equals(port, v.port)
            && Objects.equals(display, v.display);
    }

    @Override
    public int hashCode() {
        return Objects.hash(listen, port, display);
    }
}
