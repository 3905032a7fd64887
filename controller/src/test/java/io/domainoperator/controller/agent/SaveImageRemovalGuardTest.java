package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedSaveImages;
import io.domainoperator.reconciler.Operation;
import io.domainoperator.reconciler.SaveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the node's own check before removing the image of a save that was never journaled complete. The engine
 * decides such a removal from a look (the domain still ran, so the save did not finish); a stale look would remove
 * the guest's only copy. The agent keeps a complete image while no domain of that name is alive, and the failure it
 * reports names the image.
 */
class SaveImageRemovalGuardTest {
    private static final String NAME = "vm";
    private static final String UUID_TEXT = "0b0c5f6e-3a47-4b7e-9c1d-2f8e6a5b4c3d";
    private static final String IMAGE = UUID_TEXT + ".save";
    private static final DomainConfigSpec SPEC = Specs.minimal(NAME, 1, 256);
    @TempDir
    Path state;
    private SimulatedHypervisor sim;
    private OperationExecutor executor;

    @BeforeEach
    void boot() {
        sim = SimulatedHypervisor.builder().seed(3).build();
        executor = new OperationExecutor(new SimulatedSaveImages(sim), new DiskStore(state.resolve("disks"),
            new ProcessCommandRunner()), new DeferredAssigner(), new SaveImageStore(SaveImageStore.under(state)));
        executor.execute("default/vm", new Operation.CreatePaused(NAME, UUID_TEXT, SPEC, List.of()));
        executor.execute("default/vm", new Operation.Unpause(NAME));
    }

    private Path image() {
        return SaveImageStore.under(state).resolve(IMAGE);
    }

    @Test
    void aCompleteImageWithNoDomainAliveIsKeptAndTheFailureNamesIt() {
        executor.execute("default/vm", new SaveToImage(NAME, IMAGE, SaveImage.Cause.HOST_SHUTDOWN));
        assertThat(sim.listDomains()).as("the save ended the domain").isEmpty();

        assertThatThrownBy(() -> executor.execute("default/vm", new RemoveImage(IMAGE, NAME, false)))
            .hasMessageContaining(image().toString()).hasMessageContaining("only copy");
        assertThat(image()).as("kept for the restore").exists();

        executor.execute("default/vm", new RestoreFromImage(NAME, UUID_TEXT, SPEC, List.of(), IMAGE, null));
        executor.execute("default/vm", new Operation.Unpause(NAME));
        executor.execute("default/vm", new RemoveImage(IMAGE, NAME, true));
        assertThat(image()).as("removed once the restored guest runs").doesNotExist();
    }

    @Test
    void anImageWhoseSaveWasJournaledCompleteIsRemovedAsAsked() throws Exception {
        executor.execute("default/vm", new SaveToImage(NAME, IMAGE, SaveImage.Cause.SUSPEND));
        executor.execute("default/vm", new RestoreFromImage(NAME, UUID_TEXT, SPEC, List.of(), IMAGE, null));
        executor.execute("default/vm", new Operation.Unpause(NAME));
        executor.execute("default/vm", new RemoveImage(IMAGE, NAME, false));
        assertThat(image()).as("the domain of that name runs: the image is no longer its only copy").doesNotExist();
    }

    @Test
    void onlyAPartialImageOfASaveThatDidNotFinishIsRemoved() throws Exception {
        Path partial = SaveImageStore.under(state).resolve(IMAGE + ".partial");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half a save");
        executor.execute("default/vm", new Operation.Destroy(NAME, io.domainoperator.reconciler.DestroyReason.FORCED));

        executor.execute("default/vm", new RemoveImage(IMAGE, NAME, false));
        assertThat(partial).doesNotExist();
    }

    @Test
    void aDomainThatHasStoppedDoesNotCountAsHoldingTheGuest() {
        executor.execute("default/vm", new SaveToImage(NAME, IMAGE, SaveImage.Cause.SUSPEND));
        // Another create under the name while the image is there (only a bug or a stale look would do it), then it stops.
        executor.execute("default/vm", new Operation.CreatePaused(NAME, UUID.randomUUID().toString(), SPEC, List.of()));
        sim.crash(NAME);

        assertThatThrownBy(() -> executor.execute("default/vm", new RemoveImage(IMAGE, NAME, false)))
            .hasMessageContaining("refusing to remove");
        assertThat(image()).exists();
    }
}
