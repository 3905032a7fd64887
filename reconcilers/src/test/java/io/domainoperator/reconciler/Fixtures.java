package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.domainoperator.api.v1alpha1.Vif;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.ShutdownReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import io.domainoperator.testing.Specs;

/** Builders for the rule tests: a spec, observed domains, journals in known states, one call to decide. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");
    static final String NS = "apps";
    static final String NAME = "vm1";
    static final String KEY = NS + "/" + NAME;
    static final String UUID_TEXT = Situation.derivedUuid(KEY);
    static final UUID UUID_VALUE = UUID.fromString(UUID_TEXT);
    static final Knobs KNOBS = Knobs.defaults();
    static final DomainDecider ENGINE = new DomainDecider(KNOBS);

    private Fixtures() {
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static DomainConfigSpec spec() {
        DomainConfigSpec s = Specs.minimal(NAME, 2, 512);
        s.setDisks(new ArrayList<>(List.of(new Disk("/persist/img/vm1.qcow2", DiskFormat.qcow2, "xvda"))));
        s.setVifs(new ArrayList<>(List.of(new Vif("bn1", "00:16:3e:00:01:01", null))));
        return s;
    }

    static DomainConfigSpec spec(Consumer<DomainConfigSpec> change) {
        DomainConfigSpec s = spec();
        change.accept(s);
        return s;
    }

    static DesiredDomain desired(DomainConfigSpec spec) {
        return new DesiredDomain(NS, NAME, 1, spec, false, null);
    }

    static DesiredDomain desired(DomainConfigSpec spec, long generation) {
        return new DesiredDomain(NS, NAME, generation, spec, false, null);
    }

    static DesiredDomain deleting(DomainConfigSpec spec) {
        return new DesiredDomain(NS, NAME, 1, spec, true, null);
    }

    static DesiredDomain withStatus(DesiredDomain d, DomainConfigStatus last) {
        return new DesiredDomain(d.namespace(), d.name(), d.generation(), d.spec(), d.deletionRequested(), last);
    }

    static DomainInfo running(int id) {
        return info(id, DomainState.RUNNING, 5_000_000_000L);
    }

    static DomainInfo paused(int id, long cpuNanos) {
        return info(id, DomainState.PAUSED, cpuNanos);
    }

    static DomainInfo stopped(int id, ShutdownReason reason) {
        return info(id, DomainState.shutdown(reason), 5_000_000_000L);
    }

    static DomainInfo crashed(int id) {
        return info(id, DomainState.CRASHED, 5_000_000_000L);
    }

    static DomainInfo dying(int id) {
        return info(id, DomainState.DYING, 5_000_000_000L);
    }

    static DomainInfo info(int id, DomainState state, long cpu) {
        return new DomainInfo(id, NAME, UUID_VALUE, state, cpu, 2, 512L << 20, 512L << 20, true);
    }

    static DomainInfo foreign(int id) {
        return new DomainInfo(id, NAME, UUID.randomUUID(), DomainState.RUNNING, 1, 1, 1, 1, false);
    }

    static CreatePausedBuilder create(DomainConfigSpec spec) {
        return new CreatePausedBuilder(spec);
    }

    record CreatePausedBuilder(DomainConfigSpec spec) {
        Operation.CreatePaused op() {
            return new Operation.CreatePaused(spec.getDisplayName(), UUID_TEXT, spec, List.of());
        }
    }

    /** An empty journal that decide has seen at generation 1 (as the controller's would be). */
    static Journal fresh() {
        return setUp(Journal.empty()).generation(1).journal();
    }

    /** The journal after a complete boot of {@code spec} as domain {@code id}, booted at {@code bootedAt}. */
    static Journal booted(DomainConfigSpec spec, int id, Instant bootedAt) {
        Operation.CreatePaused c = create(spec).op();
        Journal j = fresh().withIntent(c, bootedAt).withSuccess(c, bootedAt, paused(id, 0));
        Operation.Unpause u = new Operation.Unpause(spec.getDisplayName());
        return j.withIntent(u, bootedAt).withSuccess(u, bootedAt, null);
    }

    /** The journal after CreatePaused succeeded with id {@code id} (not unpaused yet). */
    static Journal createdPaused(DomainConfigSpec spec, int id, Instant at) {
        Operation.CreatePaused c = create(spec).op();
        return fresh().withIntent(c, at).withSuccess(c, at, paused(id, 0));
    }

    /** {@code n} failed CreatePaused attempts, the last at {@code lastAt}. */
    static Journal failedBoots(int n, Instant lastAt) {
        Journal j = fresh();
        Operation.CreatePaused c = create(spec()).op();
        for (int i = 0; i < n; i++) {
            Instant t = lastAt.minusSeconds(5L * (n - 1 - i));
            j = j.withIntent(c, t).withFailure(c, "xl create: libxl: error: disk image not found", t);
        }
        return j;
    }

    /** A journal changed for a test, one nested record at a time. */
    static JournalSetup setUp(Journal j) {
        return new JournalSetup(j);
    }

    static Decision decide(DesiredDomain d, DomainInfo observed, Journal j, Instant now) {
        return ENGINE.decide(d, Optional.ofNullable(observed), j, List.of(), Dependencies.none(), now);
    }

    static Decision decide(DesiredDomain d, DomainInfo observed, Journal j, List<AdapterView> adapters,
                           Dependencies deps, Instant now) {
        return ENGINE.decide(d, Optional.ofNullable(observed), j, adapters, deps, now);
    }

    static PhysicalIOAdapterSpec adapter(String pci) {
        PhysicalIOAdapterSpec a = new PhysicalIOAdapterSpec();
        a.setNodeName("node1");
        a.setType(AdapterType.NetEth);
        a.setPciAddress(pci);
        return a;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
