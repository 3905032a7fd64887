package io.domainoperator.hypervisor.qemu;

import java.util.List;
import java.util.Optional;

/**
 * The QEMU guest agent's channel, as libvirt and KubeVirt give it: a virtio-serial port named
 * {@code org.qemu.guest_agent.0} in the guest (qemu-ga finds it as {@code /dev/virtio-ports/org.qemu.guest_agent.0}),
 * whose host end is a unix socket QEMU serves in the domain's directory ({@code qga.sock}), one client at a time.
 * Present only when the spec asks for it (spec.readinessProbe.guestAgent): a guest without qemu-ga never sees it.
 */
final class GuestAgentChannel {
    /** The port name qemu-ga looks for, fixed by QEMU's guest agent. */
    static final String PORT_NAME = "org.qemu.guest_agent.0";
    private static final String CHARDEV_ID = "qga0";

    private GuestAgentChannel() {
    }

    /** The arguments adding the channel. */
    static List<String> argv(DomainPaths paths) {
        return List.of("-chardev", chardev(paths) + ",server=on,wait=off",
            "-device", "virtio-serial-pci,id=qga-serial0",
            "-device", "virtserialport,bus=qga-serial0.0,chardev=" + CHARDEV_ID + ",name=" + PORT_NAME);
    }

    /** The host end of a domain's channel, when the domain was launched with one (read from its launch argv). */
    static Optional<String> socketOf(DomainRecord record, DomainPaths paths) {
        String chardev = chardev(paths) + ",";
        return record.argv().stream().anyMatch(a -> a.startsWith(chardev))
            ? Optional.of(paths.guestAgentSocket().toString()) : Optional.empty();
    }

    private static String chardev(DomainPaths paths) {
        return "socket,id=" + CHARDEV_ID + ",path=" + QemuCommandLine.opt(paths.guestAgentSocket().toString());
    }
}
