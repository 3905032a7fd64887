package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.CountingGuest;
import io.domainoperator.e2e.harness.Domains;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link MigrationCrashE2E}'s faults in the middle of a copy that only the copy deadlines end (issue 18): a hung target
 * and a target agent killed while the two QEMUs copy. The source's copies are capped (its test-only bandwidth switch)
 * so that the copy of the 128 MiB tiny guest lasts minutes; its DomainMigration allows far less.
 */
final class MigrationDeadlineFaults {
    /** 120 s per GiB: 15 s for the 128 MiB guest. */
    private static final String FIFTEEN_SECONDS = ", completionTimeoutPerGiB: 120";
    /** 240 s per GiB: 30 s for the 128 MiB guest, time for the killed target agent to come back within the copy. */
    private static final String THIRTY_SECONDS = ", completionTimeoutPerGiB: 240";

    private MigrationDeadlineFaults() {
    }

    /**
     * The target's incoming QEMU is stopped with SIGSTOP mid-copy: it takes no more bytes and answers no QMP command.
     * The completion deadline passes; the source cancels and keeps the guest (the same QEMU, still counting); the
     * target's agent kills the stopped QEMU; the migration says CopyTimedOut with the figures.
     */
    static void targetHangsMidCopy(MigrationCrashE2E e2e, String migration, MigrationCrashE2E.Node source,
                                   MigrationCrashE2E.Node target, Domains domains) throws IOException {
        List<Long> guestPids = e2e.slowCopyUnderWay(migration, source, target, FIFTEEN_SECONDS);
        int before = CountingGuest.lastCount(source.state, MigrationCrashE2E.GUEST);
        List<Long> incoming = target.qemus();
        assertThat(incoming).as("the incoming QEMU on " + target.name).hasSize(1);
        try {
            assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(incoming.get(0))).start().waitFor())
                .as("SIGSTOP sent").isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        eventually(migration + " timed out, the guest still on " + source.name + ", the stopped QEMU gone").untilAsserted(() -> {
            Supplier<String> diagnosis = () -> e2e.diagnosis(migration, source, target, domains);
            e2e.controller.assertAlive();
            source.agent.assertAlive();
            target.agent.assertAlive();
            assertThat(e2e.migrationField(migration, "{.status.phase}")).as(diagnosis).isEqualTo("Failed");
            assertThat(e2e.migrationField(migration, "{.status.handoverTime}")).as("never handed over").isEmpty();
            assertThat(source.qemus()).as(() -> "the guest's QEMU, the same process\n" + diagnosis.get()).isEqualTo(guestPids);
            assertThat(target.qemus()).as(() -> "QEMUs of the guest on " + target.name + "\n" + diagnosis.get()).isEmpty();
            assertThat(target.journal()).as(() -> "the guest's journal on " + target.name + "\n" + diagnosis.get())
                .doesNotExist();
            assertThat(domains.get(MigrationCrashE2E.GUEST, "{.spec.nodeName}")).as(diagnosis).isEqualTo(source.name);
            assertThat(domains.phase(MigrationCrashE2E.GUEST)).as(diagnosis).isEqualTo("Running");
        });
        assertThat(ProcessHandle.of(incoming.get(0)).flatMap(h -> h.info().command())).as("the stopped QEMU was killed")
            .isEmpty();
        assertThat(e2e.migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].reason}"))
            .isEqualTo("CopyTimedOut");
        assertThat(e2e.migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].message}"))
            .contains("did not complete within 15.0 s").contains("keeps running on " + source.name);
        long ranMillis = Long.parseLong(e2e.migrationField(migration, "{.status.migrationTimeMillis}"));
        assertThat(ranMillis).as("how long the copy ran").isGreaterThanOrEqualTo(15_000);
        assertThat(source.agent.metrics().sum("domainoperator_migration_failed_duration_seconds_count",
            Map.of("node", source.name))).as("the timed-out copy on the source's metrics").isEqualTo(1.0);
        eventually("the guest keeps counting on " + source.name + " past " + before).atMost(Duration.ofMinutes(2))
            .until(() -> CountingGuest.lastCount(source.state, MigrationCrashE2E.GUEST) > before + 1);
        System.out.printf("migration crash matrix: the hung target's copy cancelled after %d ms%n", ranMillis);
        source.restart(Map.of());
    }

    /**
     * The target's agent is killed with SIGKILL while the two QEMUs copy (its incoming QEMU runs on without it) and
     * started again. Whatever the restarted agent finds, the migration must end with one QEMU running the guest where
     * the DomainConfig says: here the copy's deadline ends it on the source.
     */
    static MigrationCrashE2E.Node targetAgentKilledMidCopy(MigrationCrashE2E e2e, String migration,
                                                           MigrationCrashE2E.Node source, MigrationCrashE2E.Node target,
                                                           Domains domains) {
        e2e.slowCopyUnderWay(migration, source, target, THIRTY_SECONDS);
        int before = CountingGuest.lastCount(source.state, MigrationCrashE2E.GUEST);
        assertThat(target.qemus()).as("the incoming QEMU on " + target.name).hasSize(1);
        target.agent.kill();
        await(target.name + "'s agent killed").atMost(Duration.ofSeconds(30)).until(() -> !target.agent.isAlive());
        target.start(Map.of());
        MigrationCrashE2E.Node where = e2e.awaitOneGuestWhereTheConfigSays(migration, source, target, domains);
        eventually("the guest keeps counting on " + where.name + " past " + before).atMost(Duration.ofMinutes(2))
            .until(() -> CountingGuest.lastCount(where.state, MigrationCrashE2E.GUEST) > before + 1);
        source.restart(Map.of());
        return where;
    }
}
