package io.domainoperator.reconciler;

import static io.domainoperator.reconciler.Fixtures.*;
import static io.domainoperator.reconciler.RuleCase.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.AdapterUsage;
import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 8: a domain whose adapter is held by another running domain, is keepInHost, or is used by dom0 does not
 * boot; the phase is Broken with a reason naming the adapter; it boots when the adapter is freed.
 */
class Rule8AdapterTest {
    static final DomainConfigSpec WANTS_ETH1 = spec(s -> s.setAdapters(new ArrayList<>(List.of("eth1"))));

    static PhysicalIOAdapterSpec eth1(Consumer<PhysicalIOAdapterSpec> change) {
        PhysicalIOAdapterSpec a = adapter("0000:03:00.0");
        change.accept(a);
        return a;
    }

    static Stream<RuleCase> rule8_adaptersGateTheBoot() {
        Journal assigned = setUp(fresh()).assignedAdapters(List.of("eth1")).journal();
        return Stream.of(
            given("free adapter: assign it first")
                .desired(desired(WANTS_ETH1)).adapters(AdapterView.free("eth1", eth1(a -> { })))
                .expect(new Operation.AssignAdapters(List.of("eth1")), DomainPhase.Booting, Conditions.BOOTING),
            given("assigned and recorded as ours: create with its PCI address")
                .desired(desired(WANTS_ETH1)).journal(assigned)
                .adapters(new AdapterView("eth1", eth1(a -> { }), KEY, false, false))
                .expect(new Operation.CreatePaused(NAME, UUID_TEXT, WANTS_ETH1, List.of("0000:03:00.0")),
                    DomainPhase.Booting, Conditions.BOOTING),
            given("held by another running domain: Broken, busy")
                .desired(desired(WANTS_ETH1))
                .adapters(new AdapterView("eth1", eth1(a -> { }), "apps/other", true, false))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_BUSY),
            given("held by another domain that is not running: take it")
                .desired(desired(WANTS_ETH1))
                .adapters(new AdapterView("eth1", eth1(a -> { }), "apps/other", false, false))
                .expect(new Operation.AssignAdapters(List.of("eth1")), DomainPhase.Booting, Conditions.BOOTING),
            given("held by this domain (earlier boot): fine")
                .desired(desired(WANTS_ETH1)).journal(assigned)
                .adapters(new AdapterView("eth1", eth1(a -> { }), KEY, true, false))
                .expect(new Operation.CreatePaused(NAME, UUID_TEXT, WANTS_ETH1, List.of("0000:03:00.0")),
                    DomainPhase.Booting, Conditions.BOOTING),
            given("keepInHost: refused")
                .desired(desired(WANTS_ETH1)).adapters(AdapterView.free("eth1", eth1(a -> a.setKeepInHost(true))))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_REFUSED),
            given("usage Dom0: refused")
                .desired(desired(WANTS_ETH1)).adapters(AdapterView.free("eth1", eth1(a -> a.setUsage(AdapterUsage.Dom0))))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_REFUSED),
            given("dom0's management port: refused")
                .desired(desired(WANTS_ETH1)).adapters(new AdapterView("eth1", eth1(a -> { }), null, false, true))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_REFUSED),
            given("a radio: refused")
                .desired(desired(WANTS_ETH1)).adapters(AdapterView.free("eth1", eth1(a -> a.setType(AdapterType.NetWLAN))))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_REFUSED),
            given("no such adapter: missing")
                .desired(desired(WANTS_ETH1))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_MISSING),
            given("adapter view without spec: missing")
                .desired(desired(WANTS_ETH1)).adapters(new AdapterView("eth1", null, null, false, false))
                .expect(new Operation.None(), DomainPhase.Broken, Conditions.ADAPTER_MISSING),
            given("assigned in our journal, but another DomainConfig took it over since: assign again")
                .desired(desired(WANTS_ETH1)).journal(assigned)
                .adapters(new AdapterView("eth1", eth1(a -> { }), "apps/other", false, false))
                .expect(new Operation.AssignAdapters(List.of("eth1")), DomainPhase.Booting, Conditions.BOOTING),
            given("assigned in our journal, taken over and released by another since: assign again")
                .desired(desired(WANTS_ETH1)).journal(assigned).adapters(AdapterView.free("eth1", eth1(a -> { })))
                .expect(new Operation.AssignAdapters(List.of("eth1")), DomainPhase.Booting, Conditions.BOOTING),
            given("adapter dropped from the spec while halted: released before the boot")
                .journal(assigned)
                .expect(new Operation.ReleaseAdapters(List.of("eth1")), DomainPhase.Booting, Conditions.BOOTING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rule8_adaptersGateTheBoot(RuleCase c) {
        c.check();
    }

    @Test
    void rule8_theReasonNamesTheAdapterAndTheDomainBootsWhenFreed() {
        AdapterView busy = new AdapterView("eth1", eth1(a -> { }), "apps/other", true, false);
        Decision blocked = decide(desired(WANTS_ETH1), null, fresh(), List.of(busy), Dependencies.none(), T0);
        var condition = blocked.status().condition(Conditions.ADAPTERS_ASSIGNED);
        assertThat(condition.getReason()).isEqualTo(Conditions.ADAPTER_BUSY);
        assertThat(condition.getMessage()).contains("eth1").contains("apps/other");
        assertThat(blocked.status().condition(Conditions.READY).getMessage()).contains("eth1");
        assertThat(blocked.events()).extracting(DomainEvent::reason).containsExactly(Conditions.ADAPTER_REFUSED);

        Decision still = decide(withStatus(desired(WANTS_ETH1), blocked.status()), null, blocked.journal(),
            List.of(busy), Dependencies.none(), at(30));
        assertThat(still.events()).as("announced once").isEmpty();
        assertThat(still.status()).isEqualTo(blocked.status());

        Decision freed = decide(withStatus(desired(WANTS_ETH1), blocked.status()), null, blocked.journal(),
            List.of(AdapterView.free("eth1", eth1(a -> { }))), Dependencies.none(), at(60));
        assertThat(freed.operation()).isEqualTo(new Operation.AssignAdapters(List.of("eth1")));
    }

    @Test
    void rule8_everyProblemIsListed() {
        DomainConfigSpec two = spec(s -> s.setAdapters(new ArrayList<>(List.of("eth1", "usb1"))));
        Decision d = decide(desired(two), null, fresh(),
            List.of(AdapterView.free("eth1", eth1(a -> a.setKeepInHost(true)))), Dependencies.none(), T0);
        assertThat(d.status().condition(Conditions.ADAPTERS_ASSIGNED).getMessage())
            .contains("eth1 is marked keepInHost").contains("usb1 does not exist");
    }

    @Test
    void rule8_aRunningDomainKeepsItsAdaptersAssigned() {
        Journal j = setUp(booted(WANTS_ETH1, 7, T0)).assignedAdapters(List.of("eth1")).journal();
        Decision d = decide(desired(WANTS_ETH1), running(7), j,
            List.of(new AdapterView("eth1", eth1(a -> { }), KEY, true, false)), Dependencies.none(), at(1));
        assertThat(d.status().condition(Conditions.ADAPTERS_ASSIGNED).getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(d.status().getAssignedAdapters()).containsExactly("eth1");
    }
}
