package io.domainoperator.controller;

import io.domainoperator.controller.cli.Main;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.QemuHypervisor;
import io.domainoperator.hypervisor.qemu.QemuOptions;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import io.domainoperator.hypervisor.xl.XlHypervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Chooses and builds the hypervisor backend: by name, or auto-detected (xl with /proc/xen, else qemu on PATH). */
public final class Backends {
    private Backends() {
    }

    /** The backend name for a --hypervisor value (null: auto-detect). Errors name the option. */
    public static String choose(String requested, Path procRoot, String pathEnv) {
        if (requested != null) {
            String name = requested.toLowerCase(Locale.ROOT);
            if (!name.equals("xl") && !name.equals("qemu") && !name.equals("sim")) {
                throw new Main.InvalidInputException("--hypervisor " + requested + " is not a backend: use xl, qemu or sim");
            }
            return name;
        }
        if (Files.exists(procRoot.resolve("xen"))) {
            return "xl";
        }
        if (pathEnv != null) {
            for (String dir : pathEnv.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) {
                    return "qemu";
                }
            }
        }
        throw new Main.InvalidInputException("no hypervisor found: /proc/xen is absent and qemu-system-x86_64 is not on PATH;"
            + " install Xen or QEMU (apt-get install qemu-system-x86), or run the simulator with --hypervisor sim");
    }

    public static Hypervisor open(AgentConfig config) {
        String name = choose(config.hypervisor(), Path.of("/proc"), System.getenv("PATH"));
        return switch (name) {
            case "xl" -> new XlHypervisor(new ProcessCommandRunner(),
                XlHypervisor.Settings.defaults().withRunDir(config.runDir().resolve("xen")));
            case "qemu" -> new QemuHypervisor(QemuOptions.defaults(config.stateDir().resolve("qemu"))
                .withVifNetworking(config.qemuUserNetworking() ? QemuOptions.VifNetworking.USER : QemuOptions.VifNetworking.BRIDGE),
                new ProcessCommandRunner());
            case "sim" -> SimulatedHypervisor.builder().seed(config.simSeed()).latencies(SimulatorLatencies.realistic()).build();
            default -> throw new IllegalStateException(name);
        };
    }

    /** Passthrough for this node; nodes without IOMMU hardware pass nothing through. */
    public static AdapterAssigner adapterAssigner(AgentConfig config, KubernetesClient client) {
        return AdapterAssigner.NONE;
    }
}
