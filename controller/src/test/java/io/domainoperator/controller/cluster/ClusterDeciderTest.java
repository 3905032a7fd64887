package io.domainoperator.controller.cluster;

import static io.domainoperator.controller.cluster.Fixtures.domain;
import static io.domainoperator.controller.cluster.Fixtures.lease;
import static io.domainoperator.controller.cluster.Fixtures.placed;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterDeciderTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String NS = "domain-operator-system";

    private static Map<String, DomainDecision> decide(List<DomainConfig> domains, List<NodeLease> leases, List<PhysicalIOAdapter> adapters) {
        return ClusterDecider.decide(domains, leases, adapters, NS, NOW).stream()
            .collect(Collectors.toMap(DomainDecision::key, Function.identity()));
    }

    private static Condition condition(DomainDecision decision, DomainConfig domain, String type) {
        OwnedStatus.Merged merged = decision.status().merge(domain.getStatus(), NOW);
        return merged.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    @Test
    void placesAValidDomainAndMarksItScheduled() {
        DomainConfig vm = domain("apps", "vm", 1024);
        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");

        assertThat(decision.assignNode()).isEqualTo("n1");
        OwnedStatus.Merged merged = decision.status().merge(vm.getStatus(), NOW);
        assertThat(merged.phase()).isEqualTo(DomainPhase.Scheduled);
        assertThat(condition(decision, vm, Conditions.PLACED))
            .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
            .containsExactly(Conditions.TRUE, ClusterDecider.NODE_ASSIGNED, "assigned to node n1");
    }

    @Test
    void noFitLeavesItPendingWithTheReasons() {
        DomainConfig vm = domain("apps", "vm", 2048);
        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 1024), lease("n2", NOW.minusSeconds(60), 8192)),
            List.of()).get("apps/vm");

        assertThat(decision.assignNode()).isNull();
        assertThat(decision.status().merge(vm.getStatus(), NOW).phase()).isEqualTo(DomainPhase.Pending);
        assertThat(condition(decision, vm, Conditions.PLACED))
            .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
            .containsExactly(Conditions.FALSE, Conditions.NO_FIT,
                "0/2 nodes fit: 1 insufficient memory (need 2048 MiB, most free 1024 MiB), 1 not responding (heartbeat Lease expired)");
    }

    @Test
    void domainsPlacedButNotStartedReserveTheirMemory() {
        DomainConfig booting = placed(domain("apps", "booting", 3072), "n1", DomainPhase.Booting);
        DomainConfig running = placed(domain("apps", "running", 3072), "n1", DomainPhase.Running);
        DomainConfig halted = placed(domain("apps", "halted", 3072), "n1", DomainPhase.Halted);
        halted.getSpec().setActivate(false);
        DomainConfig fresh = domain("apps", "fresh", 1024);

        DomainDecision decision = decide(List.of(booting, running, halted, fresh), List.of(lease("n1", NOW, 4000)), List.of())
            .get("apps/fresh");

        // 4000 MiB reported free, 3072 of it promised to the booting domain: 928 left, not enough for 1024.
        assertThat(decision.assignNode()).isNull();
        assertThat(condition(decision, fresh, Conditions.PLACED).getMessage()).contains("most free 928 MiB");
    }

    @Test
    void maxMemoryIsWhatIsReserved() {
        DomainConfig vm = domain("apps", "vm", 512);
        vm.getSpec().setMaxMemoryMiB(4096);

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 2048)), List.of()).get("apps/vm");

        assertThat(condition(decision, vm, Conditions.PLACED).getMessage()).contains("need 4096 MiB");
    }

    @Test
    void invalidSpecIsNotPlacedAndNamesTheField() {
        DomainConfig vm = domain("apps", "vm", 1024);
        vm.getSpec().setMaxMemoryMiB(512);

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");

        assertThat(decision.assignNode()).isNull();
        assertThat(decision.status().merge(vm.getStatus(), NOW).phase()).isEqualTo(DomainPhase.Broken);
        Condition ready = condition(decision, vm, Conditions.READY);
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(Conditions.INVALID_SPEC);
        assertThat(ready.getMessage()).startsWith("cluster check found invalid spec.maxMemoryMiB: spec.maxMemoryMiB: must be at least memoryMiB (1024)");
        assertThat(condition(decision, vm, Conditions.PLACED).getReason()).isEqualTo(Conditions.INVALID_SPEC);
    }

    @Test
    void aDomainWaitingForItselfIsInvalidAndNeverPlaced() {
        DomainConfig vm = domain("apps", "vm", 1024);
        vm.getSpec().setStartAfter(List.of("vm"));

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");

        assertThat(decision.assignNode()).isNull();
        Condition ready = condition(decision, vm, Conditions.READY);
        assertThat(ready.getReason()).isEqualTo(Conditions.INVALID_SPEC);
        assertThat(ready.getMessage()).contains("spec.startAfter[0]").contains("itself");
    }

    @Test
    void duplicateUuidAndDisplayNameAreReportedOnBothObjects() {
        DomainConfig a = domain("apps", "a", 512);
        DomainConfig b = domain("apps", "b", 512);
        DomainConfig otherNs = domain("other", "c", 512);
        a.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        b.getSpec().setUuid("6F1C2B1E-0D7A-4C43-9A43-5A4F0B9B1A01");
        otherNs.getSpec().setUuid("6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01");
        b.getSpec().setDisplayName("a");

        Map<String, DomainDecision> decisions = decide(List.of(a, b, otherNs), List.of(lease("n1", NOW, 4096)), List.of());

        assertThat(condition(decisions.get("apps/a"), a, Conditions.READY).getMessage())
            .contains("spec.uuid: '6f1c2b1e-0d7a-4c43-9a43-5a4f0b9b1a01' is also used by DomainConfig b in namespace apps")
            .contains("spec.displayName: 'a' is also used by DomainConfig b");
        assertThat(condition(decisions.get("apps/b"), b, Conditions.READY).getMessage())
            .contains("spec.uuid: '6F1C2B1E-0D7A-4C43-9A43-5A4F0B9B1A01' is also used by DomainConfig a in namespace apps")
            .contains("spec.displayName: 'a' is also used by DomainConfig a");
        assertThat(decisions.get("apps/a").assignNode()).isNull();
        assertThat(decisions.get("apps/b").assignNode()).isNull();
        assertThat(decisions.get("other/c").assignNode()).isEqualTo("n1");
    }

    @Test
    void fixingTheSpecRemovesOnlyTheControllersInvalidSpec() {
        DomainConfig vm = domain("apps", "vm", 1024);
        vm.setStatus(new io.domainoperator.api.v1alpha1.DomainConfigStatus());
        // What the controller wrote for the bad spec: its SpecValid, and the Ready derived from it.
        vm.getStatus().getConditions().add(OwnedStatus.condition(Conditions.SPEC_VALID, Conditions.FALSE, Conditions.INVALID_SPEC,
            OwnedStatus.INVALID_SPEC_PREFIX + "spec.uuid: ..."));
        vm.getStatus().getConditions().add(OwnedStatus.condition(Conditions.READY, Conditions.FALSE, Conditions.INVALID_SPEC,
            OwnedStatus.INVALID_SPEC_PREFIX + "spec.uuid: ..."));
        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");
        assertThat(condition(decision, vm, Conditions.READY)).isNull();

        DomainConfig agentFound = placed(domain("apps", "agent", 1024), "n1", DomainPhase.Broken);
        agentFound.getStatus().getConditions().add(OwnedStatus.condition(Conditions.READY, Conditions.FALSE,
            Conditions.INVALID_SPEC, "kernel /boot/x does not exist on the node"));
        DomainDecision agentDecision = decide(List.of(agentFound), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/agent");
        assertThat(agentDecision == null ? agentFound.getStatus().condition(Conditions.READY) : condition(agentDecision, agentFound, Conditions.READY))
            .extracting(Condition::getMessage).isEqualTo("kernel /boot/x does not exist on the node");
    }

    @Test
    void anInvalidSpecTheAgentAlreadyReportedIsNotReworded() {
        DomainConfig vm = placed(domain("apps", "vm", 1024), "n1", DomainPhase.Broken);
        vm.getSpec().setMaxMemoryMiB(512);
        vm.getStatus().getConditions().add(OwnedStatus.condition(Conditions.READY, Conditions.FALSE,
            Conditions.INVALID_SPEC, "agent: maxMemoryMiB below memoryMiB"));

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");

        assertThat(condition(decision, vm, Conditions.READY).getMessage()).isEqualTo("agent: maxMemoryMiB below memoryMiB");
    }

    @Test
    void aDomainPlacedByTheUserGetsTheLabelAndIsNeverMoved() {
        DomainConfig vm = domain("apps", "vm", 1024);
        vm.getSpec().setNodeName("n2");

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW, 4096), lease("n2", NOW, 4096)), List.of()).get("apps/vm");

        assertThat(decision.assignNode()).isNull();
        assertThat(decision.labelNode()).isEqualTo("n2");
        assertThat(condition(decision, vm, Conditions.PLACED).getMessage()).isEqualTo("assigned to node n2");
    }

    @Test
    void nodeLossMarksItsDomainsUnknownAndRecoveryClearsIt() {
        DomainConfig vm = placed(domain("apps", "vm", 1024), "n1", DomainPhase.Running);
        Instant lastRenew = NOW.minus(Duration.ofSeconds(41));

        DomainDecision lost = decide(List.of(vm), List.of(lease("n1", lastRenew, 4096)), List.of()).get("apps/vm");

        assertThat(lost.assignNode()).isNull();
        OwnedStatus.Merged merged = lost.status().merge(vm.getStatus(), NOW);
        assertThat(merged.phase()).isEqualTo(DomainPhase.Unknown);
        Condition nodeLost = condition(lost, vm, Conditions.NODE_LOST);
        assertThat(nodeLost.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(nodeLost.getReason()).isEqualTo(Conditions.NODE_NOT_RESPONDING);
        assertThat(nodeLost.getMessage()).contains("last renewed its heartbeat Lease domain-operator-system/domainoperator-node-n1 at " + lastRenew);

        vm.getStatus().setConditions(new java.util.ArrayList<>(merged.conditions()));
        vm.getStatus().setPhase(merged.phase());
        DomainDecision back = decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of()).get("apps/vm");
        assertThat(condition(back, vm, Conditions.NODE_LOST)).isNull();
        assertThat(back.status().merge(vm.getStatus(), NOW).phase()).as("the agent reports the phase again").isEqualTo(DomainPhase.Unknown);
    }

    @Test
    void anInvalidPlacedDomainOnALostNodeGetsBothConditions() {
        DomainConfig vm = placed(domain("apps", "vm", 1024), "n1", DomainPhase.Running);
        vm.getSpec().setBootOrder("zz");

        DomainDecision decision = decide(List.of(vm), List.of(lease("n1", NOW.minusSeconds(90), 4096)), List.of()).get("apps/vm");

        assertThat(condition(decision, vm, Conditions.READY).getReason()).isEqualTo(Conditions.INVALID_SPEC);
        assertThat(condition(decision, vm, Conditions.NODE_LOST).getReason()).isEqualTo(Conditions.NODE_NOT_RESPONDING);
        assertThat(decision.status().merge(vm.getStatus(), NOW).phase()).isEqualTo(DomainPhase.Unknown);
        assertThat(decision.assignNode()).isNull();
    }

    @Test
    void aDomainOnANodeWithoutHeartbeatIsLost() {
        DomainConfig vm = placed(domain("apps", "vm", 1024), "ghost", DomainPhase.Scheduled);

        DomainDecision decision = decide(List.of(vm), List.of(), List.of()).get("apps/vm");

        assertThat(condition(decision, vm, Conditions.NODE_LOST).getMessage())
            .startsWith("node ghost has no heartbeat (no Lease domain-operator-system/domainoperator-node-ghost)");
    }

    @Test
    void adaptersClaimedByAPlacedDomainAreNotGivenTwice() {
        DomainConfig first = placed(domain("apps", "first", 512, "edge-1-eth1"), "edge-1", DomainPhase.Running);
        DomainConfig second = domain("apps", "second", 512, "edge-1-eth1");
        DomainConfig wifi = domain("apps", "wifi", 512, "edge-1-wlan");
        List<PhysicalIOAdapter> adapters = List.of(Fixtures.adapter("edge-1-eth1", "edge-1", AdapterType.NetEth),
            Fixtures.adapter("edge-1-wlan", "edge-1", AdapterType.NetWLAN));

        Map<String, DomainDecision> decisions = decide(List.of(first, second, wifi),
            List.of(lease("edge-1", NOW, 8192), lease("edge-2", NOW, 8192)), adapters);

        assertThat(condition(decisions.get("apps/second"), second, Conditions.PLACED).getMessage())
            .isEqualTo("0/2 nodes fit: 1 adapter edge-1-eth1 busy (held by apps/first), 1 missing adapter edge-1-eth1");
        assertThat(condition(decisions.get("apps/wifi"), wifi, Conditions.PLACED).getMessage())
            .contains("1 adapter edge-1-wlan not assignable (NetWLAN radios stay with the host)");
    }

    @Test
    void nothingToWriteWhenTheStatusAlreadySaysIt() {
        DomainConfig vm = placed(domain("apps", "vm", 1024), "n1", DomainPhase.Running);
        vm.getStatus().getConditions().add(OwnedStatus.condition(Conditions.PLACED, Conditions.TRUE,
            ClusterDecider.NODE_ASSIGNED, "assigned to node n1"));

        assertThat(decide(List.of(vm), List.of(lease("n1", NOW, 4096)), List.of())).isEmpty();
    }
}
