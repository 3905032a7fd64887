package io.domainoperator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.reconciler.ModelNode.Config;
import io.domainoperator.reconciler.ModelNode.Fault;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import io.domainoperator.api.v1alpha1.DesiredState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The engine driven by the node agent's protocol on a model hypervisor, through random user changes and random
 * faults (an operation fails, a guest ignores shutdown, a guest crashes, the process dies between intent and
 * effect or between effect and journal, a stale observation, a create that fails half-way). Then the faults stop,
 * and within a bounded number of reconciles every DomainConfig must be in its desired state and stay there
 * without status writes. On every step: never two domains for one DomainConfig, never a dependency halted
 * while a dependent runs, never a disk cleaned or an adapter released under a domain, never an adapter passed
 * through to two domains (some DomainConfigs contend for one), never a domain touched that belongs to another
 * DomainConfig.
 */
class ConvergenceProperties {
    static final int CHAOS_STEPS = 80;
    static final String SHARED_ADAPTER = "nic-shared";
    /** Reconciles per DomainConfig allowed to converge once faults stop. */
    static final int STEPS_PER_DOMAIN = 40;

    enum Kind { TOGGLE_ACTIVATE, CHANGE_VCPUS, RENAME, DELETE, RESIZE_MEMORY_LIVE, TOGGLE_PAUSE, TOGGLE_SUSPEND, HOST_SHUTDOWN }

    record Action(int step, Kind kind, int domain) {
    }

    /** {@code chaos}: how many of the 80 fault slots run before the faults stop (short runs stop mid-transition). */
    record Scenario(int domains, int chaos, int hostFits, List<Integer> dependsOn, List<Boolean> copyDisk, List<Integer> adapter,
                    List<Boolean> restartOnChange, List<Boolean> keepDisks, List<Action> actions, List<Fault> faults) {
    }

    // Edge cases off: their combinations alone would fill every try, and random scenarios are the point here.
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void reachesTheDesiredStateWithinBoundedStepsAndStaysSafe(@ForAll("scenarios") Scenario s) {
        ModelNode node = build(s);
        for (int step = 0; step < s.chaos(); step++) {
            for (Action a : s.actions()) {
                if (a.step() == step) {
                    apply(node, a);
                }
            }
            node.step(s.faults().get(step));
            assertThat(node.violations).as(node.report()).isEmpty();
        }
        int bound = STEPS_PER_DOMAIN * s.domains();
        int calm = 0;
        while (!node.converged() && calm < bound) {
            node.step(Fault.NONE);
            calm++;
        }
        assertThat(node.violations).as(node.report()).isEmpty();
        assertThat(node.converged()).as("not converged within %d steps:%n%s", bound, node.report()).isTrue();
        Statistics.label("steps to converge after the faults stop").collect(calm / 10 * 10);
        Statistics.label("domains left Pending for memory (rule 11)").collect(node.configs.values().stream()
            .filter(c -> c.status != null && !c.forgotten && c.status.getPhase() == io.domainoperator.api.v1alpha1.DomainPhase.Pending)
            .count());
        assertSteady(node);
    }

    /** Converged means quiet: asked again, the engine does nothing and writes nothing. */
    private static void assertSteady(ModelNode node) {
        for (Config c : node.configs.values()) {
            if (c.forgotten) {
                continue;
            }
            Decision again = node.engine.decide(c.desired(), node.hv.lookup(DomainDecider.hypervisorName(
                c.desired(), c.journal)), c.journal, List.of(), Dependencies.none(), node.memory(),
                node.now.plusSeconds(1));
            if (c.spec.getAdapters().isEmpty() && c.spec.getStartAfter().isEmpty()) {
                assertThat(again.operation()).as("%s steady", c.key()).isInstanceOf(Operation.None.class);
                assertThat(again.status()).as("%s: no status write in steady state", c.key()).isEqualTo(c.status);
                assertThat(again.events()).isEmpty();
            }
        }
        // A status also shows what it waits for (another domain's adapter, a dependency); those views settle
        // within a round of polls once every domain has been decided after the last change.
        for (int i = 0; i < 2 * node.configs.size(); i++) {
            node.step(Fault.NONE);
        }
        assertThat(node.converged()).as(node.report()).isTrue();
        int before = node.configs.values().stream().mapToInt(c -> c.statusWrites).sum();
        for (int i = 0; i < 3 * node.configs.size(); i++) {
            node.step(Fault.NONE);
        }
        int after = node.configs.values().stream().mapToInt(c -> c.statusWrites).sum();
        assertThat(after).as("status writes in steady state").isEqualTo(before);
        assertThat(node.converged()).as(node.report()).isTrue();
    }

    static ModelNode build(Scenario s) {
        ModelNode node = new ModelNode();
        if (s.hostFits() < s.domains()) {
            node.hv.hostMemoryMiB = (long) s.hostFits() * ModelNode.spec("x", false, false, false, false)
                .effectiveMaxMemoryMiB(); // rule 11: some domains wait for memory
        }
        for (int i = 0; i < s.domains(); i++) {
            int adapter = s.adapter().get(i);
            DomainConfigSpec spec = ModelNode.spec("d" + i, s.copyDisk().get(i), adapter == 1,
                s.restartOnChange().get(i), s.keepDisks().get(i));
            if (adapter == 2) {
                spec.getAdapters().add(SHARED_ADAPTER); // several DomainConfigs want it: one runs, the others wait
            }
            int dep = s.dependsOn().get(i);
            if (dep >= 0 && dep < i) {
                spec.getStartAfter().add("d" + dep);
            }
            ModelSaveImages.policy(node.add("d" + i, spec), i);
        }
        return node;
    }

    /** User changes keep the desired state reachable: dependencies of an active domain are active and present. */
    static void apply(ModelNode node, Action a) {
        Config c = node.configs.get("d" + (a.domain() % node.configs.size()));
        if (c.deleted) {
            return;
        }
        switch (a.kind()) {
            case TOGGLE_ACTIVATE -> {
                if (c.spec.isActive()) {
                    closure(node, c, true).forEach(x -> setActive(x, false));
                } else {
                    closure(node, c, false).forEach(x -> setActive(x, true));
                }
            }
            case CHANGE_VCPUS -> {
                c.spec.setVcpus(c.spec.getVcpus() % 4 + 1);
                c.generation++;
            }
            case RESIZE_MEMORY_LIVE -> { // within maxMemoryMiB 512: applied live, no restart
                c.spec.setMemoryMiB(c.spec.getMemoryMiB() == 256 ? 384 : 256);
                c.generation++;
            }
            case TOGGLE_PAUSE -> {
                c.spec.setDesiredState(c.spec.desiredStateOrDefault() == DesiredState.Paused ? DesiredState.Running
                    : DesiredState.Paused);
                c.generation++;
            }
            case TOGGLE_SUSPEND -> { // issue 18: saved to disk and restored; refused with adapters
                if (c.spec.getAdapters().isEmpty()) {
                    c.spec.setDesiredState(ModelSaveImages.suspendWished(c) ? DesiredState.Running : DesiredState.Suspended);
                    c.generation++;
                }
            }
            case HOST_SHUTDOWN -> // the Save domains are saved; the agent may be killed before or after a save
                node.images.hostShutdown(List.of(Fault.NONE, Fault.KILLED_BEFORE_EFFECT, Fault.KILLED_AFTER_EFFECT,
                    Fault.OPERATION_FAILS).get(a.step() % 4));
            case RENAME -> {
                c.spec.setDisplayName(c.spec.getDisplayName().endsWith("-b") ? c.name : c.name + "-b");
                c.generation++;
            }
            case DELETE -> closure(node, c, true).forEach(x -> x.deleted = true);
        }
    }

    private static void setActive(Config c, boolean active) {
        if (c.spec.isActive() != active && !c.deleted) {
            c.spec.setActivate(active);
            c.generation++;
        }
    }

    /** {@code c} with its dependents (down = true) or its dependencies (down = false), transitively. */
    static List<Config> closure(ModelNode node, Config c, boolean dependents) {
        List<Config> out = new ArrayList<>();
        Deque<Config> todo = new ArrayDeque<>(List.of(c));
        while (!todo.isEmpty()) {
            Config x = todo.pop();
            if (out.contains(x)) {
                continue;
            }
            out.add(x);
            for (Config o : node.configs.values()) {
                boolean edge = dependents ? o.spec.getStartAfter().contains(x.name)
                    : x.spec.getStartAfter().contains(o.name);
                if (edge) {
                    todo.push(o);
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.integers().between(1, 4).flatMap(n -> {
            Arbitrary<List<Boolean>> flags = Arbitraries.of(true, false).list().ofSize(n);
            Arbitrary<List<Integer>> deps = Arbitraries.integers().between(-1, 3).list().ofSize(n);
            Arbitrary<List<Integer>> adapters = Arbitraries.integers().between(0, 2).list().ofSize(n);
            Arbitrary<List<Action>> actions = Combinators.combine(Arbitraries.integers().between(0, 40),
                    Arbitraries.of(Kind.class), Arbitraries.integers().between(0, n - 1)).as(Action::new)
                .list().ofMaxSize(8);
            Arbitrary<List<Fault>> faults = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(8, Arbitraries.just(Fault.NONE)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.of(Fault.class)))
                .list().ofSize(CHAOS_STEPS);
            Arbitrary<Integer> chaos = Arbitraries.integers().between(5, CHAOS_STEPS);
            // How many domains the host's memory holds: all of them in most runs, fewer in some.
            Arbitrary<Integer> hostFits = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(n)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, n)));
            return Combinators.combine(Combinators.combine(chaos, hostFits).as(List::of), deps, flags, adapters, flags,
                    flags, actions, faults)
                .as((ch, d, copy, adapter, restart, keep, acts, fs) -> new Scenario(n, ch.get(0), ch.get(1), d, copy,
                    adapter, restart, keep, acts, fs));
        });
    }

    /** The same loop from a fixed scenario, for debugging a shrunk counterexample. */
    static Optional<String> run(Scenario s) {
        ModelNode node = build(s);
        for (int step = 0; step < s.chaos(); step++) {
            for (Action a : s.actions()) {
                if (a.step() == step) {
                    apply(node, a);
                }
            }
            node.step(s.faults().get(step));
        }
        for (int i = 0; i < STEPS_PER_DOMAIN * s.domains() && !node.converged(); i++) {
            node.step(Fault.NONE);
        }
        return node.violations.isEmpty() && node.converged() ? Optional.empty() : Optional.of(node.report());
    }
}
