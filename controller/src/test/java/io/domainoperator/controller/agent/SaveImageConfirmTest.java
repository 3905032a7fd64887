package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.ProcessCommandRunner;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedSaveImages;
import io.domainoperator.reconciler.Operation;
import io.domainoperator.reconciler.SaveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the node's answer when the engine asks to confirm a save whose outcome was lost (the agent killed after
 * the save, before journaling it). A complete image with no domain alive is measured, and the checksum is the one a
 * save records, so the restore checks it; a partial image, or a domain that still runs, is refused, naming why.
 */
class SaveImageConfirmTest {
    private static final String KEY = "default/vm";
    private static final String NAME = "vm";
    private static final String UUID_TEXT = "0b0c5f6e-3a47-4b7e-9c1d-2f8e6a5b4c3d";
    private static final String IMAGE = UUID_TEXT + ".save";
    private static final DomainConfigSpec SPEC = Specs.minimal(NAME, 1, 256);
    @TempDir
    Path state;
    private OperationExecutor executor;

    @BeforeEach
    void boot() {
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(3).build();
        executor = new OperationExecutor(new SimulatedSaveImages(sim), new DiskStore(state.resolve("disks"),
            new ProcessCommandRunner()), new DeferredAssigner(), new SaveImageStore(SaveImageStore.under(state)));
        executor.execute(KEY, new Operation.CreatePaused(NAME, UUID_TEXT, SPEC, List.of()));
        executor.execute(KEY, new Operation.Unpause(NAME));
    }

    @Test
    void aCompleteImageIsMeasuredAsTheSaveWouldHaveRecordedItAndTheRestoreChecksIt() throws Exception {
        SaveImageStore.Written saved = executor.execute(KEY, new SaveToImage(NAME, IMAGE, SaveImage.Cause.SUSPEND)).image();

        SaveImageStore.Written confirmed = executor.execute(KEY, new ConfirmSavedImage(NAME, IMAGE)).image();
        assertThat(confirmed).as("the size and checksum the save itself measured").isEqualTo(saved);
        assertThat(SaveImageStore.under(state).resolve(IMAGE)).as("nothing changed on the node").exists();

        Files.writeString(SaveImageStore.under(state).resolve(IMAGE), "damaged\n");
        assertThatThrownBy(() -> executor.execute(KEY, new RestoreFromImage(NAME, UUID_TEXT, SPEC, List.of(), IMAGE,
            confirmed.sha256()))).as("the restore checks the confirmed checksum").hasMessageContaining("corrupt");
    }

    @Test
    void onlyAPartialImageIsNoSaveAndTheFailureSaysSo() throws Exception {
        executor.execute(KEY, new SaveToImage(NAME, IMAGE, SaveImage.Cause.SUSPEND));
        Path dir = SaveImageStore.under(state);
        Files.move(dir.resolve(IMAGE), dir.resolve(IMAGE + ".partial"));

        assertThatThrownBy(() -> executor.execute(KEY, new ConfirmSavedImage(NAME, IMAGE)))
            .hasMessageContaining("no complete save image").hasMessageContaining(dir.resolve(IMAGE).toString())
            .hasMessageContaining("only a partial one");
        assertThat(dir.resolve(IMAGE + ".partial")).as("left for the engine's RemoveImage").exists();
    }

    @Test
    void aDomainThatStillRunsMeansTheSaveDidNotFinish() throws Exception {
        Path dir = Files.createDirectories(SaveImageStore.under(state));
        Files.writeString(dir.resolve(IMAGE), "an image under the name while the domain runs");

        assertThatThrownBy(() -> executor.execute(KEY, new ConfirmSavedImage(NAME, IMAGE)))
            .hasMessageContaining("domain vm still runs");
    }
}
