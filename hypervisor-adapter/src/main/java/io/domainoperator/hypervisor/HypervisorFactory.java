package io.domainoperator.hypervisor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses and builds the backend for {@code --hypervisor}. The controller registers a factory per backend
 * (xl, qemu, sim) so that this module needs no compile-time knowledge of each backend's constructor and a
 * backend is only built once chosen (the xl backend would otherwise touch /run/domainmgr on a QEMU host).
 *
 * <p>Without {@code --hypervisor}: {@code xl} when {@code /proc/xen} exists, else {@code qemu} when
 * {@code qemu-system-x86_64} is on the PATH, else an error naming the option. The simulator is never chosen
 * automatically: a fleet silently running on simulated VMs would be the worst surprise.
 */
public final class HypervisorFactory {
    /** The command-line option every error points to. */
    public static final String OPTION = "--hypervisor";
    public static final String XL = "xl";
    public static final String QEMU = "qemu";
    public static final String SIM = "sim";
    /** Names the option accepts, whether or not this build registered them. */
    public static final List<String> KNOWN = List.of(XL, QEMU, SIM);
    static final String QEMU_EXECUTABLE = "qemu-system-x86_64";

    /** The chosen backend's name and why it was chosen, for the start-up log line. */
    public record Selection(String backend, String reason) {
    }

    private final Map<String, Supplier<? extends Hypervisor>> backends;
    private final HostProbe probe;

    /**
     * @param backends factories by backend name ({@link #XL}, {@link #QEMU}, {@link #SIM}); each is called at most
     *                 once per {@link #create}
     * @param probe    where auto-detection looks
     */
    public HypervisorFactory(Map<String, ? extends Supplier<? extends Hypervisor>> backends, HostProbe probe) {
        Map<String, Supplier<? extends Hypervisor>> copy = new LinkedHashMap<>();
        backends.forEach((name, factory) -> {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown backend name '" + name + "'; backends are " + KNOWN);
            }
            copy.put(name, Objects.requireNonNull(factory, name));
        });
        this.backends = Map.copyOf(copy);
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /**
     * Decides which backend to use.
     *
     * @param requested the value of {@code --hypervisor}, empty when not given
     * @throws IllegalArgumentException naming {@code --hypervisor} and the way out
     */
    public Selection select(Optional<String> requested) {
        if (requested.isPresent() && !requested.get().isBlank()) {
            String name = requested.get().strip();
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(OPTION + "=" + name + " is not a backend; use one of "
                    + String.join(", ", KNOWN));
            }
            return available(new Selection(name, "chosen with " + OPTION + "=" + name));
        }
        if (probe.xenPresent()) {
            return available(new Selection(XL, "auto-detected: " + probe.root().resolve("proc/xen") + " exists"));
        }
        Optional<Path> qemu = probe.findExecutable(QEMU_EXECUTABLE);
        if (qemu.isPresent()) {
            return available(new Selection(QEMU, "auto-detected: " + qemu.get() + " found, " + probe.root().resolve("proc/xen")
                + " absent"));
        }
        throw new IllegalArgumentException("no hypervisor found: " + probe.root().resolve("proc/xen")
            + " does not exist (not running on Xen) and " + QEMU_EXECUTABLE + " is not on the PATH (" + probe.path()
            + "). Install QEMU, boot the node into Xen, or choose a backend with " + OPTION + "=" + String.join("|", KNOWN)
            + " (" + SIM + " simulates VMs for demos and tests)");
    }

    /** Selects (see {@link #select}) and builds the backend. */
    public Hypervisor create(Optional<String> requested) {
        Selection selection = select(requested);
        return Objects.requireNonNull(backends.get(selection.backend()).get(), selection.backend() + " factory returned null");
    }

    private Selection available(Selection selection) {
        if (!backends.containsKey(selection.backend())) {
            throw new IllegalArgumentException("backend " + selection.backend() + " (" + selection.reason()
                + ") is not available in this build; available: " + String.join(", ", backends.keySet().stream().sorted().toList())
                + ". Choose one with " + OPTION);
        }
        return selection;
    }
}
