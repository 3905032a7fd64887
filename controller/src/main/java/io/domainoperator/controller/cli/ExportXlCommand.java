package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.Untrusted;
import io.domainoperator.controller.standalone.ManifestFolder;
import io.domainoperator.hypervisor.xl.XlConfigExporter;
import io.domainoperator.hypervisor.xl.XlRenderException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code domain-operator export-xl MANIFEST}: the xl configuration file a DomainConfig manifest renders to. */
@Command(name = "export-xl", mixinStandardHelpOptions = true,
    description = {"Print the xl configuration file for a DomainConfig manifest.",
        "spec.adapters map to pci entries: by the PhysicalIOAdapters in the manifest or in --adapters, else by the "
            + "names import-xl gives (pci-DDDD-BB-SS-F)."})
public final class ExportXlCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MANIFEST", description = "A YAML file holding one DomainConfig (and optionally PhysicalIOAdapters).")
    Path manifest;

    @Option(names = "--adapters", paramLabel = "PATH",
        description = "A PhysicalIOAdapter manifest, or a folder of manifests, giving the PCI addresses of spec.adapters (repeatable).")
    List<Path> adapterSources = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<HasMetadata> objects = readManifest(manifest);
        List<DomainConfig> domains = objects.stream().filter(DomainConfig.class::isInstance).map(DomainConfig.class::cast).toList();
        if (domains.size() != 1) {
            throw new Main.InvalidInputException(manifest + ": holds " + domains.size() + " DomainConfigs and "
                + (objects.size() - domains.size()) + " other objects; export-xl needs exactly one DomainConfig");
        }
        Map<String, String> pciByAdapter = new HashMap<>();
        addAdapters(objects, pciByAdapter);
        for (Path source : adapterSources) {
            for (Path file : manifestFiles(source)) {
                addAdapters(readManifest(file), pciByAdapter);
            }
        }
        DomainConfig domain = domains.getFirst();
        String xl;
        try {
            xl = XlConfigExporter.export(domain, name -> pciByAdapter.getOrDefault(name, conventionalAddress(name)));
        } catch (XlRenderException e) {
            throw new Main.InvalidInputException(manifest + ": " + e.getMessage()
                + (adapterSources.isEmpty() && !domain.getSpec().getAdapters().isEmpty()
                    ? "; pass --adapters with the PhysicalIOAdapter manifests that name the PCI addresses" : ""));
        }
        spec.commandLine().getOut().print(xl);
        return 0;
    }

    private static String conventionalAddress(String adapterName) {
        return XlConfigExporter.conventionalPciAddress(adapterName);
    }

    private static List<HasMetadata> readManifest(Path file) {
        if (!Files.isReadable(file)) {
            throw new Main.InvalidInputException(file + ": cannot read the file");
        }
        try {
            return ManifestFolder.read(file);
        } catch (ManifestFolder.ManifestException e) {
            throw new Main.InvalidInputException(e.getMessage());
        }
    }

    private static void addAdapters(List<HasMetadata> objects, Map<String, String> pciByAdapter) {
        for (HasMetadata o : objects) {
            if (o instanceof PhysicalIOAdapter a && a.getSpec() != null && a.getSpec().getPciAddress() != null) {
                pciByAdapter.put(a.getMetadata().getName(), a.getSpec().getPciAddress());
            }
        }
    }

    private static List<Path> manifestFiles(Path source) throws IOException {
        if (!Files.isDirectory(source)) {
            return List.of(source);
        }
        try (Stream<Path> files = Files.list(source)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new Main.InvalidInputException("--adapters " + Untrusted.quote(source) + ": cannot list the folder");
        }
    }
}
