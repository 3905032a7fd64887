package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** The guest's graphical console. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Vnc {
    @JsonPropertyDescription("Serve the console over VNC. Default false.")
    private Boolean enabled;

    @Pattern(Patterns.LISTEN_ADDRESS)
    @JsonPropertyDescription("Address the VNC server listens on, e.g. 0.0.0.0 or 127.0.0.1. Default 127.0.0.1.")
    private String listen;

    public Vnc() {
    }

    public Vnc(Boolean enabled, String listen) {
        this.enabled = enabled;
        this.listen = listen;
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getListen() { return listen; }
    public void setListen(String listen) { this.listen = listen; }

    public boolean enabledOrDefault() { return Boolean.TRUE.equals(enabled); }
    public String listenOrDefault() { return listen == null ? "127.0.0.1" : listen; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vnc v && java.util.Objects.equals(enabled, v.enabled) && java.util.Objects.equals(listen, v.listen);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(enabled, listen); }
}
