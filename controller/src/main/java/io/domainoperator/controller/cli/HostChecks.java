package io.domainoperator.controller.cli;

import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.HypervisorFactory;

/**
 * What the chosen backend needs from this machine, checked before anything starts, so that a machine without
 * Xen gets one sentence saying so and what to check, not an exec error from the first poll (and no halt on
 * exit that fails the same way).
 */
final class HostChecks {
    private HostChecks() {
    }

    /** @throws HostNotReadyException when --hypervisor xl is asked for and Xen or its toolstack is absent */
    static void requireBackend(String hypervisor, HostProbe host) {
        if (!HypervisorFactory.XL.equals(hypervisor)) {
            return;
        }
        if (!host.xenPresent()) {
            throw new HostNotReadyException("--hypervisor xl: Xen is not running on this machine (" + host.root().resolve("proc/xen")
                + " does not exist). Check that the machine booted the Xen hypervisor with this system as dom0"
                + " (`xl info` works, xenfs is mounted on /proc/xen); without Xen use --hypervisor qemu or sim.");
        }
        if (host.findExecutable("xl").isEmpty()) {
            throw new HostNotReadyException("--hypervisor xl: Xen is running but the `xl` command is not on PATH;"
                + " install Xen's tools (Debian: xen-utils) or add their directory to PATH.");
        }
    }

    /** The machine cannot run what was asked for; exits with {@link Main#EXIT_FAILURE}. */
    static final class HostNotReadyException extends RuntimeException {
        HostNotReadyException(String message) {
            super(message);
        }
    }
}
