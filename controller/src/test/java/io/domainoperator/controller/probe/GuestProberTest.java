package io.domainoperator.controller.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.ReadinessProbe;
import io.domainoperator.hypervisor.ConsoleEndpoints;
import io.domainoperator.reconciler.GuestReadiness;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's readiness probes: a serial expectation in a (rotating) log, a TCP connect with thresholds. */
class GuestProberTest {
    @TempDir
    Path dir;

    private final List<String> changed = new CopyOnWriteArrayList<>();

    private GuestProber prober(Path log) {
        return new GuestProber(new LogOnly(log), changed::add);
    }

    @Test
    void aSerialExpectationTurnsReadyOnceTheGuestPrintsItAndStaysSoForTheBoot() throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, "Linux version 6.1\nbooting...\n");
        ReadinessProbe probe = serial("login: $|# $");
        try (GuestProber p = prober(log)) {
            assertThat(p.readiness("ns/vm", "vm", 3, probe).state()).isEqualTo(GuestReadiness.State.NOT_READY);
            await("the probe has looked").pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5))
                .until(() -> p.readiness("ns/vm", "vm", 3, probe).message().contains("waiting for"));
            assertThat(changed).isEmpty();

            Files.writeString(log, "domain-operator-guest# ", StandardOpenOption.APPEND);

            await("ready").atMost(Duration.ofSeconds(5))
                .until(() -> p.readiness("ns/vm", "vm", 3, probe).state() == GuestReadiness.State.READY);
            assertThat(changed).containsExactly("ns/vm");
            Files.writeString(log, "");
            assertThat(p.readiness("ns/vm", "vm", 3, probe).state()).isEqualTo(GuestReadiness.State.READY);

            assertThat(p.readiness("ns/vm", "vm", 4, probe).state()).as("a new boot starts afresh")
                .isEqualTo(GuestReadiness.State.NOT_READY);
        }
    }

    @Test
    void aMatchSplitAcrossReadsAndARotatedLogAreStillFound() throws Exception {
        Path log = dir.resolve("console.log");
        Files.writeString(log, "x".repeat(5000) + "log");
        SerialExpectation expectation = new SerialExpectation(log, Pattern.compile("login: "));
        assertThat(expectation.seen()).isFalse();
        Files.writeString(log, "in: ", StandardOpenOption.APPEND);
        assertThat(expectation.seen()).isTrue();

        Files.writeString(log, "short");
        SerialExpectation afterRotation = new SerialExpectation(log, Pattern.compile("ready"));
        Files.writeString(log, "x".repeat(100));
        assertThat(afterRotation.seen()).isFalse();
        Files.writeString(log, "ready");
        assertThat(afterRotation.seen()).as("a log shorter than what was read is read again from its start").isTrue();
    }

    @Test
    void aTcpProbeCountsSuccessesAndFailuresInARow() throws Exception {
        ReadinessProbe probe = new ReadinessProbe();
        probe.setSuccessThreshold(2);
        probe.setFailureThreshold(2);
        int port;
        ProbeTarget target;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            probe.setTcp(new ReadinessProbe.TcpProbe("127.0.0.1", port));
            target = new ProbeTarget(1, probe, Optional::empty);
            target.probeOnce();
            assertThat(target.result().state()).as("one success of two").isEqualTo(GuestReadiness.State.NOT_READY);
            assertThat(target.probeOnce()).isTrue();
            assertThat(target.result().state()).isEqualTo(GuestReadiness.State.READY);
        }
        assertThat(target.probeOnce()).as("the first failure is tolerated").isFalse();
        assertThat(target.result().state()).isEqualTo(GuestReadiness.State.READY);
        assertThat(target.probeOnce()).as("the second one is not").isTrue();
        assertThat(target.result().state()).isEqualTo(GuestReadiness.State.NOT_READY);
        assertThat(target.result().message()).contains("127.0.0.1:" + port).contains("2 in a row");
    }

    private static ReadinessProbe serial(String expect) {
        ReadinessProbe probe = new ReadinessProbe();
        probe.setSerial(new ReadinessProbe.SerialProbe(expect));
        probe.setPeriodSeconds(1);
        return probe;
    }

    /** A backend that only knows where one serial log is. */
    private record LogOnly(Path log) implements io.domainoperator.hypervisor.Hypervisor {
        @Override public String backendName() { return "test"; }
        @Override public List<io.domainoperator.hypervisor.DomainInfo> listDomains() { return List.of(); }
        @Override public io.domainoperator.hypervisor.DomainInfo createPaused(io.domainoperator.hypervisor.DomainDefinition d) { throw new UnsupportedOperationException(); }
        @Override public void unpause(String name) { }
        @Override public void pause(String name) { }
        @Override public void requestShutdown(String name) { }
        @Override public void destroy(String name) { }
        @Override public io.domainoperator.hypervisor.HostInfo hostInfo() { throw new UnsupportedOperationException(); }
        @Override public Optional<ConsoleEndpoints> consoles(String name, int domainId) {
            return Optional.of(new ConsoleEndpoints(null, null, log.toString(), null, null));
        }
    }
}
