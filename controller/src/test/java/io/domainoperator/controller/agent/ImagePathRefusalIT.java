package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel symlinked to a host file: the domain is Broken with the reason and the fix, the hypervisor never called. */
class ImagePathRefusalIT {
    @TempDir
    Path state;

    @Test
    void aSourceOutsideTheRootsIsBrokenWithTheFieldAndTheFixAndNothingIsCreated() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(state.resolve("images")).resolve("vmlinuz"), Path.of("/etc/shadow"));
        try (AgentHarness h = new AgentHarness(state, AgentHarness.fastKnobs())) {
            DomainConfig dc = AgentHarness.domain("vm");
            dc.getSpec().setKernel(link.toString());
            h.apply(dc);

            await("vm Broken").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                DomainConfigStatus st = h.get("vm").getStatus();
                assertThat(st).isNotNull();
                assertThat(st.getPhase()).isEqualTo(DomainPhase.Broken);
                Condition ready = st.condition(Conditions.READY);
                assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
                assertThat(ready.getReason()).isEqualTo(Conditions.IMAGE_PATH_REFUSED);
                assertThat(ready.getMessage()).contains("spec.kernel").contains("'/etc/shadow'").contains("--allowed-image-root");
            });
            assertThat(h.hypervisor.listDomains()).as("no hypervisor call").isEmpty();
            assertThat(h.get("vm").getStatus().getBootAttempts()).isNull();

            Path kernel = Files.writeString(state.resolve("images/real-vmlinuz"), "kernel");
            DomainConfig fixed = h.get("vm");
            fixed.getSpec().setKernel(kernel.toString());
            h.client.resource(fixed).update();
            await("vm Running once the spec is fixed").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(h.get("vm").getStatus().getPhase()).isEqualTo(DomainPhase.Running));

            h.client.resource(h.get("vm")).delete();
            await("vm gone").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(h.get("vm")).isNull());
        }
    }
}
