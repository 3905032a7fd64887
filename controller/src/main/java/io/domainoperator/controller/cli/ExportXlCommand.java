package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.hypervisor.xl.XlConfigExporter;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code domain-operator export-xl MANIFEST}: the xl configuration file a DomainConfig manifest renders to. */
@Command(name = "export-xl", mixinStandardHelpOptions = true,
    description = "Print the xl configuration file for a DomainConfig manifest (adapters named pci-DDDD-BB-SS-F map back to their address).")
public final class ExportXlCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MANIFEST", description = "A YAML file holding one DomainConfig.")
    Path manifest;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(manifest)) {
            throw new Main.InvalidInputException(manifest + ": cannot read the file");
        }
        Object parsed;
        try {
            parsed = Serialization.unmarshal(Files.readString(manifest));
        } catch (RuntimeException e) {
            throw new Main.InvalidInputException(manifest + ": not a Kubernetes manifest: " + e.getMessage());
        }
        if (!(parsed instanceof DomainConfig dc)) {
            throw new Main.InvalidInputException(manifest + ": expected one DomainConfig (apiVersion domainoperator.io/v1alpha1)");
        }
        List<FieldError> errors = DomainConfigValidator.validate(dc.getSpec());
        if (!errors.isEmpty()) {
            throw new Main.InvalidInputException(manifest + ": " + String.join("; ", errors.stream().map(FieldError::toString).toList()));
        }
        spec.commandLine().getOut().print(XlConfigExporter.export(dc));
        return 0;
    }
}
