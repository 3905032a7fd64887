package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** The guest's graphical console. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Vnc {
    @JsonPropertyDescription("Serve the console over VNC. Default false.")
    private Boolean enabled;

    @Pattern(Patterns.LISTEN_ADDRESS)
    @JsonPropertyDescription("Address the VNC server listens on, e.g. 0.0.0.0 or 127.0.0.1. Default 127.0.0.1.")
    private String listen;

    @Min(0)
    @Max(59635)
    @JsonPropertyDescription("VNC display number: the server listens on TCP port 5900 + display (xl's vncdisplay). Default: picked by the backend.")
    private Integer display;

    @JsonPropertyDescription("When the display's port is taken, use the next free one (xl's vncunused). xl's default true.")
    private Boolean findUnused;

    @Pattern(Patterns.KEYMAP)
    @JsonPropertyDescription("Keyboard layout the VNC server assumes (xl's keymap, QEMU's -k), e.g. en-us, de, fr-ch. Default en-us.")
    private String keymap;

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

    public Integer getDisplay() { return display; }
    public void setDisplay(Integer display) { this.display = display; }
    public Boolean getFindUnused() { return findUnused; }
    public void setFindUnused(Boolean findUnused) { this.findUnused = findUnused; }
    public String getKeymap() { return keymap; }
    public void setKeymap(String keymap) { this.keymap = keymap; }

    public boolean enabledOrDefault() { return Boolean.TRUE.equals(enabled); }
    public String listenOrDefault() { return listen == null ? "127.0.0.1" : listen; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vnc v && java.util.Objects.equals(enabled, v.enabled) && java.util.Objects.equals(listen, v.listen)
            && java.util.Objects.equals(display, v.display) && java.util.Objects.equals(findUnused, v.findUnused)
            && java.util.Objects.equals(keymap, v.keymap);
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(enabled, listen, display, findUnused, keymap); }
}
