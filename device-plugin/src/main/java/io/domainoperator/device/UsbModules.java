package io.domainoperator.device;

import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and unloads the host's USB stack when {@code debug.enable.usb} changes. Looks at {@code module/<name>}
 * in sysfs first, so that it only runs modprobe for what is missing and rmmod for what is loaded.
 */
final class UsbModules {
    private static final Logger LOG = LoggerFactory.getLogger(UsbModules.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Host controller drivers, then the class drivers a debugging user needs: keyboard and a USB stick. */
    static final List<String> LOAD = List.of("xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd", "usbhid", "usb_storage");
    /** Users before what they use: class drivers, then each PCI glue module before its HCD core. */
    static final List<String> UNLOAD = List.of("usb_storage", "usbhid", "xhci_pci", "xhci_hcd", "ehci_pci",
        "ehci_hcd", "ohci_pci", "ohci_hcd", "uhci_hcd");

    private final Sysfs sysfs;
    private final CommandRunner commands;

    UsbModules(Sysfs sysfs, CommandRunner commands) {
        this.sysfs = sysfs;
        this.commands = commands;
    }

    /** @return the modules it tried to load and could not (missing from this kernel, say) */
    List<String> load() {
        List<String> failed = new ArrayList<>();
        for (String m : LOAD) {
            if (!sysfs.exists("module/" + m) && !run(List.of("modprobe", m))) {
                failed.add(m);
            }
        }
        return failed;
    }

    /** Built-in modules have no refcnt and cannot be removed; only loadable ones are tried. */
    List<String> unload() {
        List<String> failed = new ArrayList<>();
        for (String m : UNLOAD) {
            if (sysfs.exists("module/" + m + "/refcnt") && !run(List.of("rmmod", m))) {
                failed.add(m);
            }
        }
        return failed;
    }

    private boolean run(List<String> argv) {
        try {
            CommandResult r = commands.runAllowingFailure(argv, TIMEOUT);
            if (r.succeeded()) {
                LOG.info("usb modules: {}", String.join(" ", argv));
                return true;
            }
            LOG.warn("usb modules: `{}` exited {}: {}", String.join(" ", argv), r.exitCode(), r.stderr().strip());
        } catch (CommandException e) {
            LOG.warn("usb modules: {}", e.getMessage());
        }
        return false;
    }
}
