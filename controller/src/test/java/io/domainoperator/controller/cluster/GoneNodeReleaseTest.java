package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: what the cluster controller writes on behalf of a node declared gone: the release that node would have
 * written (so the node spec.nodeName names boots the domain, and a delete completes), and nothing for a node that is
 * only unresponsive.
 */
class GoneNodeReleaseTest {
    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final GoneNodes A_GONE = new GoneNodes(Map.of("a", "its Node object (uid u1) was deleted"));

    /** spec.nodeName names {@code named}; the status was last written by {@code reported} in {@code phase}. */
    private static DomainConfig domain(String name, String named, String reported, DomainPhase phase) {
        DomainConfig dc = Fixtures.placed(Fixtures.domain("ns", name, 256), named, phase);
        dc.getStatus().setNode(reported);
        dc.getStatus().setDomainId(reported == null ? null : 7);
        dc.getMetadata().setGeneration(3L);
        dc.getMetadata().setResourceVersion("41");
        dc.getMetadata().setFinalizers(new ArrayList<>(List.of(DomainConfig.FINALIZER)));
        return dc;
    }

    private static DomainConfig deleting(DomainConfig dc) {
        dc.getMetadata().setDeletionTimestamp("2026-12-01T02:59:00Z");
        return dc;
    }

    @Test
    void aDomainMovedOffAGoneNodeIsReleasedSoTheNamedNodeBootsIt() {
        List<GoneNodeRelease.Write> writes = GoneNodeRelease.decide(List.of(domain("web", "b", "a", DomainPhase.Running)),
            A_GONE, NOW);
        assertThat(writes).hasSize(1);
        GoneNodeRelease.Write w = writes.get(0);
        assertThat(w.node()).isEqualTo("a");
        assertThat(w.status().getNode()).as("no node's word is left on it").isNull();
        assertThat(w.status().getPhase()).isEqualTo(DomainPhase.Pending);
        assertThat(w.status().getDomainId()).isNull();
        for (String type : List.of(Conditions.READY, Conditions.BOOTED)) {
            var c = w.status().condition(type);
            assertThat(c.getStatus()).isEqualTo(Conditions.FALSE);
            assertThat(c.getReason()).isEqualTo(GoneNodeRelease.REASON);
            assertThat(c.getObservedGeneration()).isEqualTo(3L);
        }
        assertThat(w.message()).contains("node a was declared gone (its Node object (uid u1) was deleted)")
            .contains("b boots it");
        assertThat(io.domainoperator.controller.agent.NodeHandover.previousNode(withStatus(w), "b"))
            .as("the named node no longer waits").isNull();
    }

    private static DomainConfig withStatus(GoneNodeRelease.Write w) {
        DomainConfig dc = domain("x", "b", null, DomainPhase.Pending);
        dc.setStatus(w.status());
        return dc;
    }

    @Test
    void nothingIsWrittenForALiveOrMerelyUnresponsiveNode() {
        DomainConfig onB = domain("web", "c", "b", DomainPhase.Running);
        assertThat(GoneNodeRelease.decide(List.of(onB), A_GONE, NOW)).isEmpty();
        assertThat(GoneNodeRelease.decide(List.of(domain("web", "b", "a", DomainPhase.Running)), GoneNodes.NONE, NOW))
            .isEmpty();
        assertThat(GoneNodeRelease.decide(List.of(domain("web", "b", "a", DomainPhase.Halted)), A_GONE, NOW))
            .as("the gone node had already let go").isEmpty();
    }

    @Test
    void aDomainStillNamingTheGoneNodeIsReleasedAndRunsNowhere() {
        List<GoneNodeRelease.Write> writes = GoneNodeRelease.decide(List.of(domain("db", "a", "a", DomainPhase.Unknown)),
            A_GONE, NOW);
        assertThat(writes).singleElement().satisfies(w -> {
            assertThat(w.status().getNode()).isNull();
            assertThat(w.message()).contains("runs nowhere until spec.nodeName names a live node");
        });
    }

    @Test
    void aDeletionOnAGoneNodeCompletesOnceNoNodeMayRunTheDomain() {
        DomainConfig stillReported = deleting(domain("db", "a", "a", DomainPhase.Running));
        assertThat(GoneNodeRelease.decide(List.of(stillReported), A_GONE, NOW)).singleElement()
            .as("first the release").satisfies(w -> assertThat(w.status()).isNotNull());

        DomainConfig released = deleting(domain("db", "a", null, DomainPhase.Pending));
        assertThat(GoneNodeRelease.decide(List.of(released), A_GONE, NOW)).singleElement().satisfies(w -> {
            assertThat(w.status()).as("then the finalizer").isNull();
            assertThat(w.message()).contains("removed the finalizer domainoperator.io/halt").contains("node a");
        });

        DomainConfig onLiveNode = deleting(domain("db", "a", "b", DomainPhase.Halting));
        assertThat(GoneNodeRelease.decide(List.of(onLiveNode), A_GONE, NOW)).as("node b may still run it: b's to release")
            .isEmpty();
        DomainConfig notDeleting = domain("db", "a", null, DomainPhase.Pending);
        assertThat(GoneNodeRelease.decide(List.of(notDeleting), A_GONE, NOW)).isEmpty();
    }
}
