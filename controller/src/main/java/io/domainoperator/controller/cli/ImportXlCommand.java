package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.Untrusted;
import io.domainoperator.hypervisor.xl.XlConfigImporter;
import io.domainoperator.hypervisor.xl.XlImport;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code domain-operator import-xl FILE}: an existing xl/xm config file as a DomainConfig manifest on stdout. */
@Command(name = "import-xl", mixinStandardHelpOptions = true,
    description = "Print the DomainConfig manifest equivalent to an xl/xm configuration file (pci entries become adapter names).")
public final class ImportXlCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "xl configuration file, e.g. /etc/xen/auto/vm.cfg")
    Path file;

    @Option(names = "--namespace", defaultValue = "default", description = "Namespace of the manifest (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(file)) {
            throw new Main.InvalidInputException(file + ": cannot read the file");
        }
        XlImport result = XlConfigImporter.importText(Files.readString(file));
        return switch (result) {
            case XlImport.Imported imported -> {
                imported.config().getMetadata().setNamespace(namespace);
                spec.commandLine().getOut().print(Serialization.asYaml(imported.config()));
                if (!imported.pciAddresses().isEmpty()) {
                    spec.commandLine().getErr().println("note: pci devices " + imported.pciAddresses()
                        + " became spec.adapters " + imported.config().getSpec().getAdapters()
                        + "; create PhysicalIOAdapters with those names (or rename them to the node's adapters)");
                }
                yield 0;
            }
            case XlImport.Rejected rejected -> {
                spec.commandLine().getErr().println(rejected.errors().stream()
                    .map(e -> Untrusted.escapeControls(file + ":" + e.getMessage())).reduce((a, b) -> a + "\n" + b).orElse(""));
                yield Main.EXIT_INVALID_INPUT;
            }
        };
    }
}
