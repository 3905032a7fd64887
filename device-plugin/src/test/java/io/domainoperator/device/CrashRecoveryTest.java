package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent dies in the middle of a move; the next agent finishes it from the journal. */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aCrashBetweenUnbindAndBindIsRepairedAtStart() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.crashBefore(w -> w.equals("bus/pci/drivers_probe=" + Machine.GPU));

        assertThatThrownBy(() -> node.assign("default/desktop", Machine.GPU)).isInstanceOf(SimulatedCrash.class);
        assertThat(node.kernel.driverOf(Machine.GPU)).as("left unbound by the crash").isNull();
        assertThat(node.journal.load().pending().lastStep()).contains(Machine.GPU, "drivers_probe");

        ConvergeReport report = node.restart().start(node.view());

        assertThat(report.clean()).as("report %s", report).isTrue();
        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("pciback");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("pciback");
        assertThat(node.plugin.pciAddressesOf("default/desktop")).containsExactly(Machine.GPU, Machine.GPU_AUDIO);
        assertThat(node.journal.load().pending()).isNull();
        assertThat(node.assign("default/desktop", Machine.GPU)).isInstanceOf(AssignmentOutcome.Assigned.class);
    }

    @Test
    void aCrashDuringReleaseEndsWithTheDevicesBackInTheHost() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign("default/desktop", Machine.GPU);
        node.kernel.crashBefore(w -> w.equals("bus/pci/drivers_probe=" + Machine.GPU_AUDIO));

        assertThatThrownBy(() -> node.release("default/desktop")).isInstanceOf(SimulatedCrash.class);
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isNull();

        node.restart().start(node.view());

        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(node.plugin.holders()).isEmpty();
    }

    @Test
    void aCrashDuringRollbackFinishesTheRollback() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.failWhen(w -> w.equals("bus/pci/drivers/pciback/bind=" + Machine.GPU_AUDIO)
            || w.equals("probe pciback " + Machine.GPU_AUDIO));
        node.kernel.crashBefore(w -> w.equals("bus/pci/drivers_probe=" + Machine.GPU) && node.journal.load().pending().rollingBack());

        assertThatThrownBy(() -> node.assign("default/desktop", Machine.GPU)).isInstanceOf(SimulatedCrash.class);
        assertThat(node.journal.load().pending().rollingBack()).isTrue();

        node.restart().start(node.view());

        assertThat(node.kernel.driverOf(Machine.GPU)).isEqualTo("nouveau");
        assertThat(node.kernel.driverOf(Machine.GPU_AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(node.plugin.holders()).isEmpty();
        assertThat(node.journal.load().pending()).isNull();
    }

    @Test
    void anAssignAfterACrashFinishesTheOldMoveFirst() {
        TestNode node = new TestNode(dir);
        node.start();
        node.kernel.crashBefore(w -> w.equals("bus/pci/drivers_probe=" + Machine.GPU));
        assertThatThrownBy(() -> node.assign("default/desktop", Machine.GPU)).isInstanceOf(SimulatedCrash.class);
        node.restart();

        AssignmentOutcome other = node.assign("default/other", Machine.GPU);

        assertThat(other).isInstanceOf(AssignmentOutcome.Refused.class);
        assertThat(((AssignmentOutcome.Refused) other).refusals()).extracting(Refusal::rule)
            .containsOnly(Refusal.Rule.HELD_BY_OTHER_DOMAIN);
    }
}
