package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import io.domainoperator.hypervisor.qemu.QemuOptions.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides between KVM and TCG by trying, not by the presence of /dev/kvm: on some machines (nested, or sandboxed
 * VMs) /dev/kvm opens and even creates a VM, yet real guests fail or hang. The probe runs a throwaway QEMU
 * under KVM with {@code -cpu host}, exactly as domains would run, through the firmware's whole start-up: with no
 * bootable device SeaBIOS reboots at once, and {@code -no-reboot} turns that into a clean exit 0. Anything else
 * (an error, an abort, no exit within the timeout) means KVM is not usable here.
 */
public final class AcceleratorProbe {
    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorProbe.class);
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private AcceleratorProbe() {
    }

    static List<String> probeArgv(String qemuBinary) {
        return List.of(qemuBinary, "-machine", "pc", "-accel", "kvm", "-cpu", "host", "-nodefaults", "-no-user-config",
            "-display", "none", "-no-reboot", "-boot", "strict=on,reboot-timeout=0", "-m", "64");
    }

    /** KVM or TCG for this machine, and why: what {@code domain-operator doctor} reports. */
    public record Verdict(Accelerator accelerator, String reason) {
    }

    /** KVM or TCG for this machine; logs why. */
    static Accelerator detect(CommandRunner runner, String qemuBinary, Path devKvm) {
        Verdict verdict = probe(runner, qemuBinary, devKvm);
        LOG.info("accelerator: {} ({})", verdict.accelerator(), verdict.reason());
        return verdict.accelerator();
    }

    /** Tries KVM as a domain would use it; never throws. */
    public static Verdict probe(CommandRunner runner, String qemuBinary, Path devKvm) {
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new Verdict(Accelerator.TCG, devKvm + " is absent or not accessible");
        }
        try {
            CommandResult result = runner.runAllowingFailure(probeArgv(qemuBinary), TIMEOUT);
            if (result.succeeded()) {
                return new Verdict(Accelerator.KVM, "a probe guest ran under it");
            }
            return new Verdict(Accelerator.TCG, devKvm + " exists, but a probe guest under KVM failed with exit "
                + result.exitCode() + ": " + result.stderr().strip());
        } catch (CommandException e) {
            return new Verdict(Accelerator.TCG, devKvm + " exists, but a probe guest under KVM did not finish: " + e.getMessage());
        }
    }
}
