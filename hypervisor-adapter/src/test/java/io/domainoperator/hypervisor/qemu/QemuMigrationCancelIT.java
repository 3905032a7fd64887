package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.MigrationProgress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the copy deadlines need from real QEMU when the target hangs (its QEMU stopped with SIGSTOP): the outgoing
 * copy's byte figures while it runs, {@code migrate_cancel} ending it with the source running, and destroy ending the
 * stopped incoming QEMU (its QMP never answers: SIGKILL after the grace). A guest without an OS is enough: only the
 * two QEMUs' migration machinery is exercised. The copy is capped at 64 KiB/s so that it is still running when the
 * target stops.
 */
class QemuMigrationCancelIT {
    @RegisterExtension
    final QemuNode nodeA = new QemuNode();
    @RegisterExtension
    final QemuNode nodeB = new QemuNode();

    @Test
    void aCopyToAStoppedTargetIsCancelledTheSourceRunsAndTheStoppedTargetIsDestroyed() throws Exception {
        QemuHypervisor a = nodeA.backend().limitMigrationBandwidth(OptionalLong.of(64 * 1024));
        QemuHypervisor b = nodeB.backend();
        DomainDefinition def = TestGuest.noOs("hung");
        a.createPaused(def);
        a.unpause("hung");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        LiveMigration from = a.liveMigration().orElseThrow();
        LiveMigration to = b.liveMigration().orElseThrow();
        to.prepareIncoming(def, "127.0.0.1", port);
        List<Long> incoming = TestGuest.processesMentioning(nodeB.stateDir());
        assertThat(incoming).as("the incoming QEMU").hasSize(1);
        from.migrateOut("hung", "127.0.0.1", port);
        await("the copy reports its byte figures").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> from.progress("hung").sentBytes() > 0);
        MigrationProgress copying = from.progress("hung");
        assertThat(copying.state()).as("capped: still copying").isEqualTo(MigrationProgress.State.ACTIVE);
        assertThat(copying.remainingBytes()).isPositive();

        assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(incoming.get(0))).start().waitFor()).isZero();
        from.cancel("hung");
        await("the cancelled copy is over").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> from.progress("hung").state() == MigrationProgress.State.FAILED);
        assertThat(observe(a).state().isAlive()).as("the source keeps running").isTrue();

        b.destroy("hung");
        assertThat(TestGuest.processesMentioning(nodeB.stateDir())).as("the stopped incoming QEMU is gone").isEmpty();
        assertThat(b.listDomains()).isEmpty();
        System.out.printf("migration cancelled after %d bytes sent, %d left%n", copying.sentBytes(), copying.remainingBytes());
    }

    private static DomainInfo observe(QemuHypervisor h) {
        return h.listDomains().stream().filter(d -> d.name().equals("hung")).findFirst().orElseThrow();
    }
}
