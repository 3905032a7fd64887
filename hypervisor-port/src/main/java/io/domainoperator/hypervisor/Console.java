package io.domainoperator.hypervisor;

import java.util.Objects;

/**
 * What a person reaches the guest through: emulated graphics, VNC, the serial port, a USB tablet.
 *
 * @param vga         the emulated graphics card; null: the backend's default
 * @param vnc         null when the spec has no VNC section
 * @param serial      the serial port as in effect ({@code pty} or {@code none})
 * @param serialGiven whether the spec names it (an exported xl file leaves a default out)
 * @param guestAgentChannel a virtio-serial channel {@code org.qemu.guest_agent.0} for a QEMU guest agent in the
 *                    guest (spec.readinessProbe.guestAgent; QEMU only, the host end is a unix socket the agent probes)
 */
public record Console(GraphicsCard vga, Vnc vnc, boolean usbTablet, String serial, boolean serialGiven,
                      boolean guestAgentChannel) {
    /** Graphics cards, spelled as the API spells them. */
    public enum GraphicsCard {
        std,
        cirrus,
        qxl,
        none
    }

    /**
     * @param listen      the address in effect
     * @param listenGiven whether the spec names it (an exported xl file leaves a default out)
     * @param display     the VNC display number; null: the backend picks one
     * @param findUnused  whether to take the next free display; null: the backend's default
     * @param keymap      null: the backend's default
     */
    public record Vnc(boolean enabled, String listen, boolean listenGiven, Integer display, Boolean findUnused,
                      String keymap) {
    }

    public Console {
        Objects.requireNonNull(serial, "serial");
    }

    /** Without a guest agent channel. */
    public Console(GraphicsCard vga, Vnc vnc, boolean usbTablet, String serial, boolean serialGiven) {
        this(vga, vnc, usbTablet, serial, serialGiven, false);
    }

    public boolean vncEnabled() {
        return vnc != null && vnc.enabled();
    }
}
