package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step fails in the middle of a group: every device goes back to the driver it had. */
class RollbackTest {
    @TempDir
    Path dir;

    @Test
    void aFailedBindOfTheSecondFunctionPutsTheFirstBack() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.failWhen(w -> w.equals("probe pciback " + Machine.GPU_AUDIO));

        AssignmentOutcome outcome = node.assign("default/desktop", Machine.GPU);

        assertThat(outcome).isInstanceOf(AssignmentOutcome.Failed.class);
        MoveFailure failure = ((AssignmentOutcome.Failed) outcome).failure();
        assertThat(failure.address()).isEqualTo(Machine.GPU_AUDIO);
        assertThat(failure.step()).isEqualTo("bind");
        assertThat(failure.rolledBack()).isTrue();
        assertThat(outcome.reason()).isEqualTo(DeviceConditions.ADAPTER_MOVE_FAILED);
        assertThat(outcome.message()).contains(Machine.GPU_AUDIO, "step bind", "rolled back");
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(node.plugin.scan().pci(Machine.GPU).orElseThrow().driverOverride()).isNull();
        assertThat(node.kernel.slots()).doesNotContain(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(node.plugin.holders()).isEmpty();
        assertThat(node.journal.load().pending()).isNull();
    }

    @Test
    void aFailedUnbindLeavesTheGroupWhereItWas() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.failWhen(w -> w.equals("bus/pci/drivers/snd_hda_intel/unbind=" + Machine.GPU_AUDIO));

        AssignmentOutcome outcome = node.assign("default/desktop", Machine.GPU);

        assertThat(((AssignmentOutcome.Failed) outcome).failure().step()).isEqualTo("unbind");
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
    }

    @Test
    void aReleaseWhoseHostDriverWillNotProbeParksTheDeviceInPcibackInsteadOfOrphaningIt() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign("default/desktop", Machine.GPU);
        node.kernel.failWhen(w -> w.equals("probe nouveau " + Machine.GPU));

        ConvergeReport report = node.release("default/desktop");

        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.address()).isEqualTo(Machine.GPU);
            assertThat(f.step()).isIn("bind", "verify");
            assertThat(f.rolledBack()).isTrue();
        });
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("pciback");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("pciback");

        node.kernel.healthy();
        assertThat(node.plugin.converge(node.view()).moved()).containsExactlyInAnyOrder(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
    }
}
