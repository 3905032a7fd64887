package io.domainoperator.controller.agent;

import static io.domainoperator.controller.agent.AgentHarness.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node agent's loop, wired end to end on the simulator (see {@link AgentHarness}). */
class NodeAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path state;
    AgentHarness h;

    @BeforeEach
    void start() {
        h = new AgentHarness(state, AgentHarness.fastKnobs());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private DomainPhase phase(String name) {
        DomainConfig dc = h.get(name);
        return dc == null || dc.getStatus() == null ? null : dc.getStatus().getPhase();
    }

    private Optional<DomainInfo> onHypervisor(String name) {
        return h.hypervisor.listDomains().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Test
    void appliedDomainRunsWithIdConditionsAndEvents() {
        h.apply(domain("web"));

        await("web Running").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Running));
        DomainConfig dc = h.get("web");
        assertThat(dc.getStatus().getDomainId()).isEqualTo(onHypervisor("web").orElseThrow().domainId());
        assertThat(dc.getStatus().getObservedGeneration()).isEqualTo(dc.getMetadata().getGeneration());
        assertThat(dc.getStatus().condition("Ready").getStatus()).isEqualTo("True");
        assertThat(dc.getStatus().getNode()).isEqualTo(AgentHarness.NODE);
        assertThat(dc.getMetadata().getFinalizers()).contains(DomainConfig.FINALIZER);
        await("Started event").atMost(WAIT).untilAsserted(() -> assertThat(h.eventReasons("web")).contains("Started"));
    }

    @Test
    void theAgentsStartIsAnEventOnItsNodeWithTheHostChecks() {
        await("AgentStarted event").atMost(WAIT).untilAsserted(() -> assertThat(h.client.v1().events()
            .inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("AgentStarted");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
                assertThat(e.getInvolvedObject().getName()).isEqualTo(AgentHarness.NODE);
                assertThat(e.getMessage()).contains("sim backend").contains("every host check passed");
            }));
    }

    @Test
    void deactivatedDomainHaltsAndBootsAgainWhenReactivated() {
        h.apply(domain("web"));
        await("web Running").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Running));

        h.client.resources(DomainConfig.class).inNamespace("default").withName("web").edit(dc -> {
            dc.getSpec().setActivate(false);
            return dc;
        });

        await("web Halted").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Halted));
        assertThat(onHypervisor("web")).isEmpty();
        await("GracefulShutdown event").atMost(WAIT).untilAsserted(() -> assertThat(h.eventReasons("web")).contains("GracefulShutdown"));

        h.client.resources(DomainConfig.class).inNamespace("default").withName("web").edit(dc -> {
            dc.getSpec().setActivate(true);
            return dc;
        });
        await("web Running again").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Running));
    }

    @Test
    void failedBootsAreBrokenWithARetryTimeThenRetried() {
        h.hypervisor.faults().failCreateFor("flaky");
        h.apply(domain("flaky"));

        await("flaky Broken with a retry time").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("flaky");
            assertThat(dc.getStatus()).isNotNull();
            assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
            assertThat(dc.getStatus().getNextBootRetryTime()).isNotNull();
            assertThat(dc.getStatus().getLastBootError()).contains("simulated create failure");
        });
        // Events are written after the status write that carries them lands: awaited, not read at once.
        await("BootFailed event").atMost(WAIT).untilAsserted(() -> assertThat(h.eventReasons("flaky")).contains("BootFailed"));

        h.hypervisor.faults().clear();
        await("flaky Running after the retry timer").atMost(WAIT)
            .untilAsserted(() -> assertThat(phase("flaky")).isEqualTo(DomainPhase.Running));
        assertThat(h.get("flaky").getStatus().getBootAttempts()).isIn(null, 0);
    }

    @Test
    void halfCreatedDomainIsDestroyedAndRebuilt() {
        h.hypervisor.faults().halfCreateFor("half");
        h.apply(domain("half"));
        // The agent destroys a half-created domain within milliseconds; its event is the lasting evidence.
        await("HalfCreatedRebuilt event").atMost(WAIT)
            .untilAsserted(() -> assertThat(h.eventReasons("half")).contains("HalfCreatedRebuilt"));

        h.hypervisor.faults().clear();

        await("half Running").atMost(WAIT).untilAsserted(() -> assertThat(phase("half")).isEqualTo(DomainPhase.Running));
        assertThat(h.hypervisor.listDomains()).filteredOn(d -> d.name().equals("half")).singleElement()
            .satisfies(d -> assertThat(d.looksHalfCreated()).isFalse());
    }

    @Test
    void deletionHaltsTheDomainBeforeTheObjectGoes() {
        h.apply(domain("web"));
        await("web Running").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Running));

        h.client.resources(DomainConfig.class).inNamespace("default").withName("web").delete();

        await("web object gone").atMost(WAIT).untilAsserted(() -> assertThat(h.get("web")).isNull());
        assertThat(onHypervisor("web")).isEmpty();
    }

    @Test
    void startAfterIsRespectedInBothDirections() {
        h.apply(domain("client", "server"));
        await("client waits").atMost(WAIT).untilAsserted(() -> assertThat(phase("client")).isEqualTo(DomainPhase.Scheduled));
        assertThat(onHypervisor("client")).isEmpty();

        h.apply(domain("server"));
        await("both Running").atMost(WAIT).untilAsserted(() -> {
            assertThat(phase("server")).isEqualTo(DomainPhase.Running);
            assertThat(phase("client")).isEqualTo(DomainPhase.Running);
        });
        assertThat(onHypervisor("server").orElseThrow().domainId()).isLessThan(onHypervisor("client").orElseThrow().domainId());

        // Halting the server while the client runs: the client must halt first.
        h.client.resources(DomainConfig.class).inNamespace("default").withName("client").edit(dc -> {
            dc.getSpec().setActivate(false);
            return dc;
        });
        h.client.resources(DomainConfig.class).inNamespace("default").withName("server").edit(dc -> {
            dc.getSpec().setActivate(false);
            return dc;
        });
        await("both Halted").atMost(WAIT).untilAsserted(() -> {
            assertThat(phase("client")).isEqualTo(DomainPhase.Halted);
            assertThat(phase("server")).isEqualTo(DomainPhase.Halted);
        });
    }

    @Test
    void anInvalidSpecIsReportedWithItsFieldAndNothingStarts() {
        DomainConfig bad = domain("bad");
        bad.getSpec().setVcpus(4);
        bad.getSpec().setMaxVcpus(2);
        h.apply(bad);

        await("bad Broken with InvalidSpec").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("bad");
            assertThat(dc.getStatus()).isNotNull();
            assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
            assertThat(dc.getStatus().condition("Ready").getReason()).isEqualTo("InvalidSpec");
            assertThat(dc.getStatus().condition("Ready").getMessage()).contains("spec.maxVcpus");
        });
        assertThat(onHypervisor("bad")).isEmpty();

        h.client.resources(DomainConfig.class).inNamespace("default").withName("bad").edit(dc -> {
            dc.getSpec().setMaxVcpus(4);
            return dc;
        });
        await("bad Running once fixed").atMost(WAIT).untilAsserted(() -> assertThat(phase("bad")).isEqualTo(DomainPhase.Running));
    }

    @Test
    void aDomainTheClusterControllerFoundClashingIsNotStarted() {
        DomainConfig twin = domain("twin");
        twin.getSpec().setNodeName("elsewhere");
        DomainConfig created = h.apply(twin);
        var status = new io.domainoperator.api.v1alpha1.DomainConfigStatus();
        status.getConditions().add(io.domainoperator.controller.cluster.OwnedStatus.condition("SpecValid", "False", "InvalidSpec",
            io.domainoperator.controller.cluster.OwnedStatus.INVALID_SPEC_PREFIX + "spec.uuid: also used by DomainConfig other"));
        created.setStatus(status);
        h.client.resource(created).updateStatus();

        h.client.resources(DomainConfig.class).inNamespace("default").withName("twin").edit(dc -> {
            dc.getSpec().setNodeName(AgentHarness.NODE);
            return dc;
        });

        await("twin Broken, the controller's reason kept").atMost(WAIT).untilAsserted(() -> {
            DomainConfig dc = h.get("twin");
            assertThat(dc.getStatus().getPhase()).isEqualTo(DomainPhase.Broken);
            assertThat(dc.getStatus().condition("Ready").getMessage()).contains("spec.uuid");
        });
        assertThat(onHypervisor("twin")).isEmpty();
    }

    @Test
    void aSteadyFleetCausesNoStatusWrites() {
        h.apply(domain("a"));
        h.apply(domain("b"));
        await("both Running").atMost(WAIT).untilAsserted(() -> {
            assertThat(phase("a")).isEqualTo(DomainPhase.Running);
            assertThat(phase("b")).isEqualTo(DomainPhase.Running);
        });
        // Let the last transition's writes and events settle, then watch several poll intervals.
        await("writes settle").pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        double writes = statusWrites();
        String versionA = h.get("a").getMetadata().getResourceVersion();
        String versionB = h.get("b").getMetadata().getResourceVersion();

        await("several polls pass").pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);

        assertThat(statusWrites()).isEqualTo(writes);
        assertThat(h.get("a").getMetadata().getResourceVersion()).isEqualTo(versionA);
        assertThat(h.get("b").getMetadata().getResourceVersion()).isEqualTo(versionB);
    }

    @Test
    void metricsAreServedOverHttpAndPassPromtool() throws Exception {
        h.apply(domain("web"));
        await("web Running").atMost(WAIT).untilAsserted(() -> assertThat(phase("web")).isEqualTo(DomainPhase.Running));
        var http = java.net.http.HttpClient.newHttpClient();
        var base = java.net.URI.create("http://127.0.0.1:" + h.agent.metricsPort());

        await("web's series scraped").atMost(WAIT).untilAsserted(() -> assertThat(get(http, base.resolve("/metrics")).body())
            .contains("domainoperator_domain_cpu_seconds_total{domain_namespace=\"default\",name=\"web\",node=\"node-a\"}")
            .contains("domainoperator_domain_phase{domain_namespace=\"default\",name=\"web\",node=\"node-a\",phase=\"Running\"} 1.0")
            .contains("domainoperator_host_memory_free_bytes")
            .contains("domainoperator_reconcile_duration_seconds_bucket"));
        assertThat(get(http, base.resolve("/healthz")).statusCode()).isEqualTo(200);
        assertThat(get(http, base.resolve("/readyz")).statusCode()).isEqualTo(200);

        var promtool = io.domainoperator.controller.metrics.Promtool.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool.isPresent(),
            "promtool is absent: .ci/setup.d/50-prometheus.sh unpacks it from Debian's prometheus package");
        assertThat(io.domainoperator.controller.metrics.Promtool.checkMetrics(promtool.get(), get(http, base.resolve("/metrics")).body()))
            .isEmpty();
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, java.net.URI uri) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private double statusWrites() {
        return h.agent.registry().get("domainoperator.status.writes").counter().count();
    }
}
