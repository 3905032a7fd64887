package io.domainoperator.controller.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.reconciler.GuestReadiness;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.readinessProbe.guestAgent where there is nothing to talk to: the status says why (xl has no channel; a QEMU
 * domain booted before the probe was set has none), and a channel nobody answers on is a counted failure. A real
 * qemu-ga answering: {@code GuestAgentClientIT} (on the host) and {@code GuestConsoleIT} (in the test guest).
 */
class GuestAgentCheckTest {
    @TempDir
    Path dir;

    @Test
    void onXlTheProbeSaysItIsQemuOnlyAndTheGuestIsNotReady() {
        ProbeTarget target = new ProbeTarget(4, agentProbe(), Optional::empty, Optional::empty, "xl");

        target.probeOnce();

        assertThat(target.result().state()).isEqualTo(GuestReadiness.State.NOT_READY);
        assertThat(target.result().message()).isEqualTo("spec.readinessProbe.guestAgent is QEMU-only: the xl backend"
            + " has no guest agent channel; use a tcp or serial probe");
    }

    @Test
    void aQemuDomainBootedWithoutTheChannelIsToldToRestart() {
        ProbeTarget target = new ProbeTarget(4, agentProbe(), Optional::empty, Optional::empty, "qemu");

        target.probeOnce();

        assertThat(target.result().state()).isEqualTo(GuestReadiness.State.NOT_READY);
        assertThat(target.result().message()).contains("no guest agent channel").contains("restart it");
    }

    @Test
    void aChannelNobodyServesCountsAsFailuresInARow() {
        Path socket = dir.resolve("qga.sock");
        ReadinessProbe probe = agentProbe();
        probe.setSerial(new ReadinessProbe.SerialProbe("login: "));
        ProbeTarget target = new ProbeTarget(4, probe, Optional::empty, () -> Optional.of(socket), "qemu");

        target.probeOnce();
        target.probeOnce();

        assertThat(target.result().state()).isEqualTo(GuestReadiness.State.NOT_READY);
        assertThat(target.result().message()).as("both checks report")
            .contains("serial log").contains("guest agent: cannot connect to the guest agent channel " + socket)
            .contains("(2 in a row)");
    }

    private static ReadinessProbe agentProbe() {
        ReadinessProbe probe = new ReadinessProbe();
        probe.setGuestAgent(new ReadinessProbe.GuestAgentProbe());
        return probe;
    }
}
