package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.MigrationProgress;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.testing.Specs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code xl migrate} / {@code migrate-receive} between two nodes, each its own fake xl (Xen 4.17's argv; Xen cannot run
 * on the build machines, so the fake stands in for it, see {@code fake-xl.sh}). The transport between them is what the
 * agents provide: the target's listener feeding {@code xl migrate-receive -e -p}, and on the source a command joining
 * xl's stream to TCP (here bash's {@code /dev/tcp}, where the agent uses {@code domain-operator migration-pipe}).
 */
class XlLiveMigrationFakeXlTest {
    static final List<String> BASH_PIPE = List.of("bash", "-c", "exec 3<>/dev/tcp/$0/$1; cat <&3 & cat >&3; wait");

    @TempDir
    Path nodeA;
    @TempDir
    Path nodeB;

    @Test
    void theDomainArrivesPausedOnTheTargetAndLeavesTheSource() throws Exception {
        FakeXl xlA = new FakeXl(nodeA);
        FakeXl xlB = new FakeXl(nodeB);
        XlHypervisor a = xlA.backend();
        XlHypervisor b = xlB.backend();
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.fromString("4a144db0-6b63-405a-b884-7760042023b1"),
            Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        XlLiveMigration from = a.liveMigration(BASH_PIPE);
        XlLiveMigration to = b.liveMigration(BASH_PIPE);

        assertThat(to.prepareIncoming(def, "127.0.0.1", port)).as("xl creates the domain from the stream").isNull();
        assertThat(to.progress("mover").state()).isEqualTo(MigrationProgress.State.ACTIVE);
        from.migrateOut("mover", "127.0.0.1", port);
        await("copy completed").atMost(Duration.ofSeconds(30))
            .until(() -> from.progress("mover").state() == MigrationProgress.State.COMPLETED);

        assertThat(a.listDomains()).noneMatch(d -> d.name().equals("mover"));
        DomainInfo arrived = b.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow();
        assertThat(arrived.ours()).as("the target counts the arrived domain as its own").isTrue();
        assertThat(arrived.state().paused()).as("-p: paused until the hand-over is on record").isTrue();
        to.resume("mover");
        assertThat(b.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow().state().isAlive())
            .isTrue();
        // The arrival is no copy from B: read as one, the next move off B would be handed over without a byte sent.
        assertThat(to.progress("mover").state()).as("B has sent nothing yet").isEqualTo(MigrationProgress.State.NONE);
        assertThat(Files.readAllLines(xlA.state.resolve("calls"))).anyMatch(c -> c.startsWith("migrate -s  -e -p mover bash -c "));
        assertThat(Files.readAllLines(xlB.state.resolve("calls"))).contains("migrate-receive -e -p");
        assertThat(XlLiveMigration.shellQuote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void aCopyThatFailsSaysWhyAndTheDomainKeepsRunningOnTheSource() throws Exception {
        FakeXl xlA = new FakeXl(nodeA);
        XlHypervisor a = xlA.backend();
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.randomUUID(), Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        XlLiveMigration from = a.liveMigration(BASH_PIPE);
        from.migrateOut("mover", "127.0.0.1", closedPort);
        await("copy failed").atMost(Duration.ofSeconds(30))
            .until(() -> from.progress("mover").state() == MigrationProgress.State.FAILED);
        assertThat(from.progress("mover").error()).contains("xl migrate exited 1").contains("Target reported an error");
        assertThat(a.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow().state().isAlive())
            .isTrue();
    }

    /**
     * A target that takes the stream and never answers (a hung migrate-receive, a network that stopped): xl migrate
     * waits for ever, so the copy stays active until the source's deadline cancels it. The cancel kills the transport,
     * xl fails by itself (the domain keeps running here), and an agent restarted mid-copy finds and cancels the pair.
     */
    @Test
    void aCopyToAHungTargetIsCancelledByKillingTheTransportAndTheDomainKeepsRunning() throws Exception {
        FakeXl xlA = new FakeXl(nodeA);
        XlHypervisor a = xlA.backend();
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.randomUUID(), Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        try (ServerSocket hung = new ServerSocket(0)) {
            XlLiveMigration from = a.liveMigration(BASH_PIPE);
            from.migrateOut("mover", "127.0.0.1", hung.getLocalPort());
            try (var accepted = hung.accept()) {
                assertThat(from.progress("mover").state()).isEqualTo(MigrationProgress.State.ACTIVE);
                XlLiveMigration restarted = a.liveMigration(BASH_PIPE);
                assertThat(restarted.progress("mover").state()).as("an agent restarted mid-copy sees it running")
                    .isEqualTo(MigrationProgress.State.ACTIVE);
                restarted.cancel("mover");
                await("the cancelled copy failed").atMost(Duration.ofSeconds(30))
                    .until(() -> restarted.progress("mover").state() == MigrationProgress.State.FAILED);
            }
            assertThat(from.progress("mover").error()).contains("xl migrate exited 1");
        }
        assertThat(a.listDomains().stream().filter(d -> d.name().equals("mover")).findFirst().orElseThrow().state().isAlive())
            .as("xl's own failure path: the domain runs on at the sender").isTrue();
        assertThat(a.liveMigration().orElseThrow()).as("the backend keeps one, holding the copies it runs")
            .isSameAs(a.liveMigration().orElseThrow());
    }

    @Test
    void aCompletedCopysRecordIsStaleOnceADomainOfThatNameRunsHereAgain() throws Exception {
        FakeXl xlA = new FakeXl(nodeA);
        XlHypervisor a = xlA.backend();
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.randomUUID(), Specs.minimal("mover", 1, 256));
        a.createPaused(def);
        a.unpause("mover");
        Path records = nodeA.resolve("run").resolve("migrate");
        Files.createDirectories(records);
        Files.writeString(records.resolve("mover.rc"), "0\n");
        assertThat(a.liveMigration(BASH_PIPE).progress("mover")).as("an earlier move's completion, not this domain's copy")
            .isEqualTo(MigrationProgress.NONE);
    }

    @Test
    void aSecondPrepareOfTheSameNameFreesTheFirstListenerAndKeepsListening() throws Exception {
        XlHypervisor b = new FakeXl(nodeB).backend();
        DomainDefinition def = DefinitionFromSpec.inPlace("mover", UUID.randomUUID(), Specs.minimal("mover", 1, 256));
        int first;
        int second;
        try (ServerSocket p1 = new ServerSocket(0); ServerSocket p2 = new ServerSocket(0)) {
            first = p1.getLocalPort();
            second = p2.getLocalPort();
        }
        XlLiveMigration to = b.liveMigration(BASH_PIPE);
        to.prepareIncoming(def, "127.0.0.1", first);
        to.prepareIncoming(def, "127.0.0.1", second);
        await("the first attempt's port is free").atMost(Duration.ofSeconds(10)).until(() -> {
            try (ServerSocket again = new ServerSocket(first)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(to.progress("mover").state()).as("the second attempt still listens").isEqualTo(MigrationProgress.State.ACTIVE);
    }
}
