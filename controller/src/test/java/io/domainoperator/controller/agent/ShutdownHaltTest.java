package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.domainoperator.testing.Specs;

/** The order of a node-shutdown halt: dependents before what they depend on. */
class ShutdownHaltTest {

    static DomainConfig dc(String name, String... startAfter) {
        return Specs.domainConfig("default", name,
            Specs.minimal(name + "-vm", 1, 64, spec -> spec.setStartAfter(List.of(startAfter))));
    }

    @Test
    void dependentsHaltBeforeTheirDependencies() {
        List<List<String>> order = ShutdownHalt.haltOrder(List.of(
            dc("nfs-server"), dc("nfs-client", "nfs-server"), dc("web", "nfs-client"), dc("lonely")));

        assertThat(order).containsExactly(List.of("lonely-vm", "web-vm"), List.of("nfs-client-vm"), List.of("nfs-server-vm"));
    }

    @Test
    void aCycleStillHaltsEveryDomain() {
        List<List<String>> order = ShutdownHalt.haltOrder(List.of(dc("a", "b"), dc("b", "a")));
        assertThat(order.stream().flatMap(List::stream)).containsExactlyInAnyOrder("a-vm", "b-vm");
    }
}
