package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.Untrusted;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.controller.doctor.HostCheck;
import io.domainoperator.controller.doctor.NodeDoctor;
import io.domainoperator.controller.doctor.NodeRequirements;
import io.domainoperator.controller.standalone.ManifestFolder;
import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.HypervisorFactory;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.qemu.AcceleratorProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code domain-operator doctor}: every prerequisite of the chosen backend and of the domains this node is asked to
 * run, with what is missing and how to fix it. Takes the same flags as {@code agent} and {@code standalone}, so the
 * command line that fails to start can be checked as it is.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check that this machine can run what it is asked to: backend tools, KVM, bridges, IOMMU, state directory, disk.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the node can run what it is asked to run (warnings allowed)", "1:at least one check failed",
        "2:bad usage or invalid manifests"})
public final class DoctorCommand implements Callable<Integer> {
    private static final int NAME_WIDTH = 24;

    @Option(names = "--manifests", paramLabel = "DIR",
        description = "Folder of DomainConfig manifests whose bridges and adapters this node must provide.")
    Path manifests;

    @Option(names = "--node", description = "Without --manifests: check the DomainConfigs of this node in the cluster (KUBECONFIG).")
    String node;

    @Mixin
    AgentOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<DomainConfig> domains = domains();
        NodeRequirements asked = requirements(options, domains);
        NodeDoctor doctor = new NodeDoctor(HostProbe.system(), options.sysfsRoot,
            qemu -> AcceleratorProbe.probe(new ProcessCommandRunner(), qemu.toString(), Path.of("/dev/kvm")),
            System.getProperty("user.name"));
        List<HostCheck> checks;
        try {
            checks = doctor.check(asked);
        } catch (IllegalArgumentException e) {
            throw new Main.InvalidInputException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(table(checks));
        long failed = checks.stream().filter(HostCheck::failed).count();
        out.println(failed == 0 ? "\nThis node can run what it is asked to run."
            : "\n" + failed + " check(s) failed: this node cannot run what it is asked to run until they are fixed.");
        out.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** What the flags and the domains ask of the host: bridges unless QEMU uses its own user network. */
    static NodeRequirements requirements(AgentOptions options, List<DomainConfig> domains) {
        Set<String> bridges = new TreeSet<>();
        boolean userNetworking = options.qemuUserNetworking && HypervisorFactory.QEMU.equals(options.hypervisor);
        boolean adapters = false;
        for (DomainConfig dc : domains) {
            if (dc.getSpec() == null) {
                continue;
            }
            if (!userNetworking && dc.getSpec().getVifs() != null) {
                dc.getSpec().getVifs().stream().map(Vif::getBridge).filter(b -> b != null && !b.isBlank()).forEach(bridges::add);
            }
            adapters |= dc.getSpec().getAdapters() != null && !dc.getSpec().getAdapters().isEmpty();
        }
        return NodeRequirements.of(options.hypervisor, bridges, options.devicePassthrough || adapters, options.stateDir,
            options.imageRoot);
    }

    private List<DomainConfig> domains() {
        if (manifests != null) {
            if (!Files.isDirectory(manifests)) {
                throw new Main.InvalidInputException("--manifests " + manifests + " is not a directory");
            }
            List<DomainConfig> found = new ArrayList<>();
            try (Stream<Path> files = Files.list(manifests)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                    ManifestFolder.read(f).stream().filter(DomainConfig.class::isInstance).map(DomainConfig.class::cast).forEach(found::add);
                }
            } catch (IOException e) {
                throw new Main.InvalidInputException("--manifests " + manifests + ": cannot list (" + e.getMessage() + ")");
            } catch (ManifestFolder.ManifestException e) {
                throw new Main.InvalidInputException(e.getMessage());
            }
            return found;
        }
        if (node != null) {
            try (KubernetesClient client = ClusterConnection.connect(System.getenv())) {
                return client.resources(DomainConfig.class).inAnyNamespace().list().getItems().stream()
                    .filter(dc -> dc.getSpec() != null && node.equals(dc.getSpec().getNodeName())).toList();
            }
        }
        return List.of();
    }

    /** Three columns, the last one free-running: what was checked, the verdict, what was found and what to do. */
    static String table(List<HostCheck> checks) {
        // Long names (a state directory's path) overflow their cell rather than push every row to the right.
        int width = Math.min(NAME_WIDTH, Math.max("CHECK".length(), checks.stream().mapToInt(c -> c.name().length()).max().orElse(0)));
        StringBuilder s = new StringBuilder();
        String format = "%-" + width + "s  %-6s  %s%n";
        s.append(String.format(format, "CHECK", "STATUS", "FOUND / WHAT TO DO"));
        checks.forEach(c -> s.append(String.format(format, c.name(), c.status().name().toLowerCase(), Untrusted.escapeControls(c.detail()))));
        return s.toString();
    }
}
