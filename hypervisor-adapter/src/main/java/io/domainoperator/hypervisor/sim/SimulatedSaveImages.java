package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Save and restore for the simulator (issue 18), as xl save/restore behave: the save writes a file naming the domain
 * and its uuid and ends the domain; the restore checks the file is a save image of that domain and creates it paused.
 * A file that is not such an image (cut short, another domain's) is refused, as a corrupt image is by xl.
 */
public final class SimulatedSaveImages extends ForwardingHypervisor {
    static final String MAGIC = "domain-operator simulated save image v1";

    public SimulatedSaveImages(Hypervisor simulator) {
        super(simulator);
    }

    @Override
    public void saveToFile(String name, String imagePath) {
        DomainInfo d = look(name).filter(DomainInfo::ours).orElseThrow(() ->
            new HypervisorException("saveToFile", name, "no such domain of ours"));
        try {
            Files.writeString(Path.of(imagePath), String.join("\n", MAGIC, "name=" + name, "uuid=" + d.uuid(),
                "cpuTimeNanos=" + d.cpuTimeNanos(), "end") + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HypervisorException("saveToFile", name, "cannot write " + imagePath + ": " + e.getMessage());
        }
        destroy(name);
    }

    @Override
    public DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(imagePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HypervisorException("restorePaused", definition.name(), "cannot read " + imagePath + ": "
                + e.getMessage());
        }
        if (lines.size() < 5 || !lines.get(0).equals(MAGIC) || !lines.get(lines.size() - 1).equals("end")) {
            throw new HypervisorException("restorePaused", definition.name(), imagePath + " is not a complete save image");
        }
        if (!lines.contains("uuid=" + definition.uuid())) {
            throw new HypervisorException("restorePaused", definition.name(), imagePath + " holds another domain");
        }
        return createPaused(definition);
    }
}
