package io.domainoperator.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.MigrationProgress;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real QEMU live migration between two backends on this machine, each with its own state directory as two nodes'
 * agents have: the tiny guest counts on its serial console, moves, and keeps counting on the target, whose copy is
 * then the only QEMU. Both backends read the same kernel and initrd, the shared storage live migration needs.
 */
class QemuLiveMigrationIT {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Pattern COUNT = Pattern.compile("COUNT (\\d+)");

    @RegisterExtension
    final QemuNode nodeA = new QemuNode();
    @RegisterExtension
    final QemuNode nodeB = new QemuNode();

    @Test
    void aCountingGuestMovesToTheOtherNodeAndKeepsCounting() throws IOException {
        Path guest = TestGuest.assumeGuest();
        QemuHypervisor a = nodeA.backend();
        QemuHypervisor b = nodeB.backend();
        DomainDefinition def = TestGuest.linux("mover", guest);
        a.createPaused(def);
        a.unpause("mover");
        await("guest ready on A").atMost(BOOT).pollInterval(Duration.ofMillis(500))
            .until(() -> TestGuest.console(a, "mover").contains(TestGuest.READY_MARKER));
        try (SocketChannel keys = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            keys.connect(UnixDomainSocketAddress.of(nodeA.paths("mover").consoleSocket()));
            await("a shell prompt on A").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                type(keys, "\n");
                return TestGuest.console(a, "mover").contains("# ");
            });
            type(keys, "i=0; while true; do echo COUNT $i; i=$((i+1)); sleep 1; done &\n");
            await("counting on A").atMost(Duration.ofMinutes(1)).until(() -> lastCount(TestGuest.console(a, "mover")) >= 2);
        }

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        LiveMigration from = a.liveMigration().orElseThrow();
        LiveMigration to = b.liveMigration().orElseThrow();
        DomainInfo incoming = to.prepareIncoming(def, "127.0.0.1", port);
        assertThat(incoming.state().paused()).as("the incoming copy waits paused").isTrue();
        from.migrateOut("mover", "127.0.0.1", port);
        await("copy completed").atMost(BOOT).pollInterval(Duration.ofMillis(200))
            .until(() -> from.progress("mover").state() == MigrationProgress.State.COMPLETED);
        MigrationProgress done = from.progress("mover");
        int countBefore = lastCount(TestGuest.console(a, "mover"));
        assertThat(observe(a).state().paused()).as("the source stops once the copy completed").isTrue();
        assertThat(observe(b).state().isAlive()).as("the target stays paused until resumed").isFalse();

        to.resume("mover");
        a.destroy("mover");
        await("counting on B past " + countBefore).atMost(Duration.ofMinutes(1))
            .until(() -> lastCount(TestGuest.console(b, "mover")) > countBefore + 1);
        assertThat(a.listDomains()).isEmpty();
        assertThat(observe(b).state().isAlive()).isTrue();
        // Regression (stop 14's drain back B -> A): B's QEMU reports its finished incoming migration as "completed";
        // read as an outgoing copy, the next move of the guest handed over at once, having copied nothing.
        assertThat(to.progress("mover").state()).as("B has sent nothing yet").isEqualTo(MigrationProgress.State.NONE);
        assertThat(TestGuest.processesMentioning(nodeA.stateDir())).as("no QEMU of node A is left").isEmpty();
        assertThat(done.totalMillis()).isPositive();
        System.out.printf("live migration of the tiny guest: %d ms in all, %d ms stopped; counter %d on A, %d on B%n",
            done.totalMillis(), done.downtimeMillis(), countBefore, lastCount(TestGuest.console(b, "mover")));
    }

    private static DomainInfo observe(QemuHypervisor h) {
        return h.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow();
    }

    static int lastCount(String console) {
        Matcher m = COUNT.matcher(console);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    /** Types on the guest's serial console (its shell). */
    static void type(SocketChannel keys, String text) throws IOException {
        keys.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }
}
