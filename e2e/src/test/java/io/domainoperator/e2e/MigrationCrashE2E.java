package io.domainoperator.e2e;

import static io.domainoperator.e2e.harness.Domains.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.e2e.harness.CountingGuest;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.ExclusiveResources;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.OperatorProcess;
import io.domainoperator.e2e.harness.QemuGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 18's xenopsd rule with real processes: at every moment the guest runs on exactly one node, whichever agent is
 * killed with SIGKILL at whichever step of a live migration. Two QEMU agent
 * processes (two nodes, each its own state directory) and the cluster controller on the real API server, as in
 * {@link LiveMigrationE2E}; one counting guest, booted once and moved back and forth, one fault per move
 * ({@link MigrationCrashCase}). An agent is armed by restarting it with its test-only crash switch
 * ({@code DOMAIN_OPERATOR_CRASH_AT}); once it has killed itself it is started again plain, as a DaemonSet restarts its
 * pod. After each fault: exactly one QEMU for the guest on the two nodes, still counting past its count before the
 * move (never booted again), the DomainMigration Succeeded or Failed with a reason, the DomainConfig's
 * {@code spec.nodeName} and {@code status.node} naming where it runs, and no journal entry on the other node.
 *
 * <p>CI runs two faults ({@link MigrationCrashCase#CI}); {@code -Pmigration-crash} runs every one (e2e/README.md).
 */
@Order(3)
@ResourceLock(ExclusiveResources.QEMU_GUESTS)
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class MigrationCrashE2E {
    static final String MATRIX = "domainoperator.migration-crash.matrix";
    private static final Duration BOOT = Duration.ofMinutes(6);
    static final String GUEST = "crash-mover";
    /** The source agent's test-only switch capping its outgoing copies (MigrationBandwidthSwitch). */
    private static final String SLOW_COPY_SWITCH = "DOMAIN_OPERATOR_TEST_MIGRATION_BANDWIDTH";
    /** Slow enough that the copy of the tiny guest's memory lasts minutes; the fault lands in it for sure. */
    private static final long SLOW_COPY_BYTES_PER_SECOND = 64 * 1024;

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;
    private KubeCluster cluster;
    private Kubectl kubectl;
    private String namespace;
    private String system;
    OperatorProcess controller;
    private Node a;
    private Node b;

    /** One node: its name, state directory and the agent process serving it now. */
    final class Node {
        final String name;
        final Path state;
        OperatorProcess agent;

        Node(String name, Path state) {
            this.name = name;
            this.state = state;
        }

        void start(Map<String, String> environment) {
            agent = OperatorProcess.agent(environment, cluster.kubeconfig(), name, "qemu", state, system,
                "--qemu-user-networking").awaitReady();
        }

        /** Restarts the agent (SIGTERM halts no guest) with {@code environment}. */
        void restart(Map<String, String> environment) {
            agent.close();
            start(environment);
        }

        List<Long> qemus() {
            return QemuGuest.processes(state, GUEST);
        }

        Path journal() {
            return state.resolve("journal").resolve(namespace + "%2F" + GUEST + ".json");
        }
    }

    @Test
    void everyKillEndsWithOneRunningGuestAndAStatusSayingWhere(KubeCluster server) throws IOException {
        Path guest = QemuGuest.assumeAvailable();
        cluster = server;
        kubectl = cluster.kubectl();
        Crds.install(kubectl);
        system = cluster.createNamespace("e2e-migcrash-system");
        namespace = cluster.createNamespace("e2e-migcrash");
        Domains domains = new Domains(kubectl, namespace);
        controller = OperatorProcess.controller(cluster.kubeconfig(), system, "e2e-migcrash-controller").awaitReady();
        a = new Node("migcrash-a-" + namespace, stateA);
        b = new Node("migcrash-b-" + namespace, stateB);
        a.start(Map.of());
        b.start(Map.of());

        domains.apply(QemuGuest.domain(GUEST, a.name, guest));
        var wait = kubectl.run(BOOT.plusMinutes(1), null, List.of("wait", "-n", namespace, "--for=condition=Ready",
            "--timeout=" + BOOT.toSeconds() + "s", "dom/" + GUEST));
        assertThat(wait.exitCode()).as(wait.describe() + "\n" + domains.describe(GUEST) + a.agent.logTail()).isZero();
        CountingGuest.startCounting(a.state, GUEST, BOOT);

        List<MigrationCrashCase> cases = MigrationCrashCase.selected(System.getProperty(MATRIX, "ci"));
        List<String> matrix = new ArrayList<>();
        Node here = a;
        Throwable firstFailure = null;
        for (int n = 0; n < cases.size() && firstFailure == null; n++) {
            MigrationCrashCase fault = cases.get(n);
            Node there = here == a ? b : a;
            try {
                here = run(fault, fault.migrationName(n + 1), here, there, domains);
                matrix.add(String.format("  %-95s converged: %s, runs on %s", fault.label(),
                    migrationOutcome(fault.migrationName(n + 1)), here == a ? "A" : "B"));
            } catch (AssertionError | RuntimeException | IOException e) {
                matrix.add(String.format("  %-95s NOT converged: %s", fault.label(), String.valueOf(e.getMessage())
                    .lines().findFirst().orElse("")));
                firstFailure = e;
            }
        }
        System.out.printf("migration crash matrix: %d of %d points tried, %d converged%n%s%n", matrix.size(), cases.size(),
            matrix.stream().filter(l -> !l.contains("NOT converged")).count(), String.join("\n", matrix));
        if (firstFailure != null) {
            throw new AssertionError("a migration fault did not converge (matrix above)", firstFailure);
        }
    }

    /** One fault during a move of the guest from {@code source} to {@code target}; returns the node it runs on after. */
    private Node run(MigrationCrashCase fault, String migration, Node source, Node target, Domains domains)
        throws IOException {
        switch (fault.crashPoint()) {
            case MigrationCrashCase.TARGET_QEMU_KILLED -> {
                targetFailsMidCopy(migration, source, target, domains);
                return source;
            }
            case MigrationCrashCase.TARGET_QEMU_STOPPED -> {
                MigrationDeadlineFaults.targetHangsMidCopy(this, migration, source, target, domains);
                return source;
            }
            case MigrationCrashCase.TARGET_AGENT_KILLED -> {
                return MigrationDeadlineFaults.targetAgentKilledMidCopy(this, migration, source, target, domains);
            }
            default -> {
            }
        }
        Node armed = fault.killed() == MigrationCrashCase.Side.SOURCE_AGENT ? source : target;
        armed.restart(Map.of("DOMAIN_OPERATOR_CRASH_AT", fault.crashPoint()));
        int before = CountingGuest.lastCount(source.state, GUEST);
        kubectl.runWithInput("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainMigration
            metadata: {name: %s, namespace: %s}
            spec: {domainConfig: %s, targetNode: %s}
            """.formatted(migration, namespace, GUEST, target.name), "apply", "-f", "-");
        await(armed.name + "'s agent killed itself at " + fault.crashPoint()).atMost(Domains.CONVERGE)
            .pollInterval(Duration.ofMillis(200)).until(() -> !armed.agent.isAlive());
        assertThat(Files.readString(armed.agent.log())).as(armed.agent.logTail())
            .contains("CrashSwitch: SIGKILL at " + fault.crashPoint());
        armed.start(Map.of());
        Node where = awaitOneGuestWhereTheConfigSays(migration, source, target, domains);
        eventually("the guest keeps counting on " + where.name + " past " + before).atMost(Duration.ofMinutes(2))
            .until(() -> CountingGuest.lastCount(where.state, GUEST) > before + 1);
        return where;
    }

    /** The migration ended; one QEMU runs the guest, on the node the DomainConfig names; the other keeps nothing. */
    Node awaitOneGuestWhereTheConfigSays(String migration, Node source, Node target, Domains domains) {
        Node[] where = new Node[1];
        eventually(migration + " ended, one QEMU running the guest where the DomainConfig says").untilAsserted(() -> {
            java.util.function.Supplier<String> diagnosis = () -> diagnosis(migration, source, target, domains);
            controller.assertAlive();
            source.agent.assertAlive();
            target.agent.assertAlive();
            String phase = migrationField(migration, "{.status.phase}");
            assertThat(phase).as(diagnosis).isIn("Succeeded", "Failed");
            assertThat(migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].reason}")).as(diagnosis)
                .isNotBlank();
            where[0] = phase.equals("Succeeded") ? target : source;
            Node other = where[0] == source ? target : source;
            assertThat(where[0].qemus()).as(() -> "QEMUs of the guest on " + where[0].name + "\n" + diagnosis.get()).hasSize(1);
            assertThat(other.qemus()).as(() -> "QEMUs of the guest on " + other.name + "\n" + diagnosis.get()).isEmpty();
            assertThat(domains.get(GUEST, "{.spec.nodeName}")).as(diagnosis).isEqualTo(where[0].name);
            assertThat(domains.get(GUEST, "{.status.node}")).as(diagnosis).isEqualTo(where[0].name);
            assertThat(domains.phase(GUEST)).as(diagnosis).isEqualTo("Running");
            assertThat(other.journal()).as(() -> "the guest's journal on the node it left\n" + diagnosis.get()).doesNotExist();
        });
        return where[0];
    }

    /**
     * The target fails in the middle of the copy: the source agent copies at {@value #SLOW_COPY_BYTES_PER_SECOND}
     * bytes/s (its test-only switch), so the copy of the guest's memory is still running when the test kills the
     * target's incoming QEMU with SIGKILL. The guest must keep running on the source, never stopped or booted again,
     * the migration must fail saying what happened to the target and how long the copy ran, and the target must keep
     * nothing of it.
     */
    private void targetFailsMidCopy(String migration, Node source, Node target, Domains domains) throws IOException {
        List<Long> guestPids = slowCopyUnderWay(migration, source, target, "");
        int before = CountingGuest.lastCount(source.state, GUEST);
        List<Long> incoming = target.qemus();
        assertThat(incoming).as("the incoming QEMU on " + target.name).hasSize(1);
        assertThat(ProcessHandle.of(incoming.get(0)).map(ProcessHandle::destroyForcibly)).as("SIGKILL sent").contains(true);

        eventually(migration + " failed, the guest still on " + source.name + " and nothing left on " + target.name)
            .untilAsserted(() -> {
                java.util.function.Supplier<String> diagnosis = () -> diagnosis(migration, source, target, domains);
                controller.assertAlive();
                source.agent.assertAlive();
                target.agent.assertAlive();
                assertThat(migrationField(migration, "{.status.phase}")).as(diagnosis).isEqualTo("Failed");
                assertThat(migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].message}")).as(diagnosis)
                    .contains(target.name).contains("keeps running on " + source.name);
                assertThat(migrationField(migration, "{.status.handoverTime}")).as("never handed over").isEmpty();
                assertThat(source.qemus()).as(() -> "the guest's QEMU, the same process\n" + diagnosis.get())
                    .isEqualTo(guestPids);
                assertThat(target.qemus()).as(() -> "QEMUs of the guest on " + target.name + "\n" + diagnosis.get()).isEmpty();
                assertThat(target.state.resolve("qemu").resolve(GUEST)).as("the incoming domain's directory").doesNotExist();
                assertThat(target.journal()).as(() -> "the guest's journal on " + target.name + "\n" + diagnosis.get())
                    .doesNotExist();
                assertThat(domains.get(GUEST, "{.spec.nodeName}")).as(diagnosis).isEqualTo(source.name);
                assertThat(domains.get(GUEST, "{.status.node}")).as(diagnosis).isEqualTo(source.name);
                assertThat(domains.phase(GUEST)).as(diagnosis).isEqualTo("Running");
            });
        assertThat(migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].reason}"))
            .isEqualTo("CopyFailed");
        long ranMillis = Long.parseLong(migrationField(migration, "{.status.migrationTimeMillis}"));
        assertThat(ranMillis).as("how long the copy ran before the target failed").isPositive();
        assertThat(source.agent.metrics().sum("domainoperator_migration_failed_duration_seconds_count",
            Map.of("node", source.name))).as("the failed copy on the source's metrics").isEqualTo(1.0);
        eventually("the guest keeps counting on " + source.name + " past " + before).atMost(Duration.ofMinutes(2))
            .until(() -> CountingGuest.lastCount(source.state, GUEST) > before + 1);
        System.out.printf("migration crash matrix: the target's QEMU killed %d ms into the copy%n", ranMillis);
        source.restart(Map.of());
    }

    /**
     * Restarts the source's agent with its copies capped at {@value #SLOW_COPY_BYTES_PER_SECOND} bytes/s, creates the
     * DomainMigration (its spec plus {@code extraSpec}, e.g. {@code ", progressTimeout: 5"}) and waits until the source
     * copies. Returns the guest's QEMU on the source.
     */
    List<Long> slowCopyUnderWay(String migration, Node source, Node target, String extraSpec) {
        source.restart(Map.of(SLOW_COPY_SWITCH, String.valueOf(SLOW_COPY_BYTES_PER_SECOND)));
        List<Long> guestPids = source.qemus();
        assertThat(guestPids).as("the guest's QEMU on " + source.name).hasSize(1);
        kubectl.runWithInput("""
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainMigration
            metadata: {name: %s, namespace: %s}
            spec: {domainConfig: %s, targetNode: %s%s}
            """.formatted(migration, namespace, GUEST, target.name, extraSpec), "apply", "-f", "-");
        await(migration + ": the source copies").atMost(Domains.CONVERGE).pollInterval(Duration.ofMillis(200))
            .until(() -> "Migrating".equals(migrationField(migration, "{.status.phase}")));
        return guestPids;
    }

    private String migrationOutcome(String migration) {
        return migrationField(migration, "{.status.phase}") + " ("
            + migrationField(migration, "{.status.conditions[?(@.type==\"Complete\")].reason}") + ")";
    }

    String migrationField(String migration, String jsonpath) {
        return kubectl.ok("get", "dmig", migration, "-n", namespace, "-o", "jsonpath=" + jsonpath).stdout().strip();
    }

    String diagnosis(String migration, Node source, Node target, Domains domains) {
        return kubectl.run("get", "dmig", migration, "-n", namespace, "-o", "yaml").stdout() + domains.describe(GUEST)
            + "QEMUs: source " + source.qemus() + ", target " + target.qemus() + "\n"
            + source.agent.logTail() + target.agent.logTail() + controller.logTail();
    }

    @AfterEach
    void cleanUp() {
        for (Node node : new Node[] {a, b}) {
            if (node != null && node.agent != null) {
                node.agent.close();
            }
        }
        if (controller != null) {
            controller.close();
        }
        QemuGuest.killAll(stateA);
        QemuGuest.killAll(stateB);
        cluster.deleteNamespace(namespace);
        cluster.deleteNamespace(system);
    }
}
