package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedGuestEventsTest {
    @TempDir
    Path state;

    @Test
    void aFileNamedAfterADomainMakesItsGuestCrashOrRebootAtTheNextListAndIsConsumed() throws Exception {
        Path requests = SimulatedGuestEvents.requestDirectory(state);
        SimulatedGuestEvents hv = new SimulatedGuestEvents(SimulatedHypervisor.builder().build(), requests);
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName("web");
        spec.setVcpus(1);
        spec.setMemoryMiB(64);
        hv.createPaused(DefinitionFromSpec.inPlace("web", UUID.randomUUID(), spec));
        hv.unpause("web");
        assertThat(hv.listDomains()).singleElement().extracting(d -> d.state().hasStopped()).isEqualTo(false);

        Files.createDirectories(requests);
        Files.writeString(requests.resolve("web"), "");
        Files.writeString(requests.resolve("no-such-domain"), "");

        DomainInfo web = hv.listDomains().getFirst();
        assertThat(web.state().hasStopped()).as("crashed: " + web).isTrue();
        assertThat(web.state().crashed()).isTrue();
        assertThat(requests).isEmptyDirectory();

        hv.destroy("web");
        hv.createPaused(DefinitionFromSpec.inPlace("web", UUID.randomUUID(), spec));
        hv.unpause("web");
        Files.writeString(requests.resolve("web"), "reboot\n");
        Files.writeString(requests.resolve("unknown-event"), "explode");
        web = hv.listDomains().getFirst();
        assertThat(web.state().hasStopped()).isTrue();
        assertThat(web.state().crashed()).as("rebooted, not crashed").isFalse();
        assertThat(requests).isEmptyDirectory();
        assertThat(hv.backendName()).isEqualTo("sim");
    }
}
