package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.reconciler.Operation;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import io.domainoperator.testing.Specs;

/** The engine's create becomes the port's definition here (moved from the engine's StatusAndJournalTest). */
class OperationExecutorTest {
    private static final String NAME = "vm1";
    private static final UUID UUID_VALUE = UUID.fromString("0b0c5f6e-3a47-4b7e-9c1d-2f8e6a5b4c3d");

    @Test
    void aCreateBuildsThePortsDefinition() {
        DomainConfigSpec spec = Specs.minimal(NAME, 2, 512);
        spec.setDisks(List.of(new Disk("/persist/img/vm1.qcow2", DiskFormat.qcow2, "xvda")));
        Operation.CreatePaused c = new Operation.CreatePaused(NAME, UUID_VALUE.toString(), spec, List.of("0000:03:00.0"));
        var def = OperationExecutor.definitionOf(c, List.of("/persist/img/copy.qcow2"));
        assertThat(def.name()).isEqualTo(NAME);
        assertThat(def.uuid()).isEqualTo(UUID_VALUE);
        assertThat(def.pciAddresses()).containsExactly("0000:03:00.0");
        assertThat(def.diskPaths()).containsExactly("/persist/img/copy.qcow2");
    }

    /**
     * Regression (HypervisorChaosSmokeTest: one GPU ran in two domains): a create is decided on the holders as they
     * were; if another domain was given the GPU since (between this domain's boot attempts), the create is not made.
     */
    @Test
    void aCreateWhoseDomainNoLongerHoldsItsAdaptersIsNotMade(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var sim = io.domainoperator.hypervisor.sim.SimulatedHypervisor.builder().seed(1).build();
        List<String> asked = new java.util.ArrayList<>();
        AdapterAssigner takenOver = new NoMovesAssigner() {
            @Override
            public void confirmHeld(String domainKey, List<String> pciAddresses) {
                asked.add(domainKey + " " + pciAddresses);
                throw new IllegalStateException("AdapterBusy: device 0000:01:00.0 is now held by default/gpu-b");
            }
        };
        var executor = new OperationExecutor(sim, new DiskStore(dir, new io.domainoperator.hypervisor.ProcessCommandRunner()),
            takenOver);
        Operation.CreatePaused create = new Operation.CreatePaused(NAME, UUID_VALUE.toString(), Specs.minimal(NAME, 1, 256),
            List.of("0000:01:00.0"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.execute("default/gpu-a", create))
            .hasMessageContaining("AdapterBusy").hasMessageContaining("default/gpu-b");
        assertThat(asked).containsExactly("default/gpu-a [0000:01:00.0]");
        assertThat(sim.listDomains()).as("no domain was created with a GPU another domain holds").isEmpty();
    }
}
