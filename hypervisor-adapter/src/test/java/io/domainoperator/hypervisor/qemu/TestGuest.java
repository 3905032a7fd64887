package io.domainoperator.hypervisor.qemu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.UUID;
import io.domainoperator.testing.Specs;

/**
 * The real parts the QEMU *IT tests need: qemu-system-x86_64 on PATH and the tiny guest built by
 * {@code .ci/setup.d/30-qemu-guest.sh} under the cache directory (system property
 * {@code domainoperator.cache}, else env {@code DOMAIN_OPERATOR_CACHE}, else ~/.cache/domain-operator).
 */
final class TestGuest {
    /** What the guest's init prints on the serial console once its power button handler listens. */
    static final String READY_MARKER = "DOMAIN-OPERATOR-GUEST-READY";
    static final String POWEROFF_MARKER = "power button pressed, powering off";
    static final String QEMU = "qemu-system-x86_64";

    private TestGuest() {
    }

    static Path cacheDir() {
        String configured = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "domain-operator");
    }

    static void assumeInstalled(String tool) {
        assumeTrue(QemuHypervisor.isInstalled(tool), tool + " is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it");
    }

    static void assumeQemu() {
        assumeTrue(QemuHypervisor.isInstalled(QEMU), QEMU + " is not on PATH: .ci/setup.d/30-qemu-guest.sh installs it (Debian qemu-system-x86)");
    }

    /** The guest directory with vmlinuz, initrd.img and cmdline; skips the test when it was not built. */
    static Path assumeGuest() {
        assumeQemu();
        Path guest = cacheDir().resolve("guest");
        assumeTrue(Files.exists(guest.resolve("READY")), "no test guest in " + guest
            + ": run .ci/setup.d/30-qemu-guest.sh (it builds one from Debian's kernel and busybox)");
        return guest;
    }

    static DomainConfigSpec spec(String name) {
        return Specs.minimal(name, 1, 128);
    }

    /** A Linux guest that powers off on the ACPI power button. */
    static DomainDefinition linux(String name, Path guest) {
        return linux(name, guest, spec -> { });
    }

    /** {@link #linux(String, Path)} with the spec changed before the definition is built. */
    static DomainDefinition linux(String name, Path guest, Consumer<DomainConfigSpec> change) {
        DomainConfigSpec spec = linuxSpec(name, guest);
        change.accept(spec);
        return DefinitionFromSpec.inPlace(name, UUID.randomUUID(), spec);
    }

    static DomainConfigSpec linuxSpec(String name, Path guest) {
        DomainConfigSpec spec = spec(name);
        spec.setKernel(guest.resolve("vmlinuz").toString());
        spec.setRamdisk(guest.resolve("initrd.img").toString());
        try {
            spec.setCmdline(Files.readString(guest.resolve("cmdline")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spec;
    }

    /** No kernel and no disk: the firmware finds nothing to boot, and nothing answers the power button. */
    static DomainDefinition noOs(String name) {
        return noOs(name, spec -> { });
    }

    /** {@link #noOs(String)} with the spec changed before the definition is built. */
    static DomainDefinition noOs(String name, Consumer<DomainConfigSpec> change) {
        DomainConfigSpec spec = spec(name);
        change.accept(spec);
        return DefinitionFromSpec.inPlace(name, UUID.randomUUID(), spec);
    }

    static String console(QemuHypervisor hypervisor, String name) {
        return hypervisor.consoleLog(name).map(p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                return "";
            }
        }).orElse("");
    }

    /** Pids of live processes whose command line mentions the path (e.g. a domain's QMP socket). */
    static List<Long> processesMentioning(Path path) {
        String needle = path.toString();
        return ProcessHandle.allProcesses()
            .filter(p -> new ProcFs(Path.of("/proc")).cmdline(p.pid()).stream().anyMatch(a -> a.contains(needle)))
            .map(ProcessHandle::pid).toList();
    }
}
