package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.Conditions;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DiskFormat;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.domainoperator.testing.Specs;

/**
 * The node agent's loop around the engine, faithful to the protocol the controller follows (decide, journal the
 * intent, perform, journal the outcome, write the status if changed, requeue), on a {@link ModelHypervisor},
 * with faults injected per step. It checks the safety invariants on every step and records violations.
 */
final class ModelNode {
    static final String NS = "ns";
    /** Deletion never forces a dependency down before its dependents within these runs. */
    static final Knobs KNOBS = new Knobs(Duration.ofSeconds(600), 3, Duration.ofSeconds(5), Duration.ofSeconds(60),
        Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofDays(365), Duration.ofSeconds(30));

    enum Fault {
        NONE, OPERATION_FAILS, KILLED_BEFORE_EFFECT, KILLED_AFTER_EFFECT, STALE_OBSERVATION, GUEST_CRASH,
        SHUTDOWN_IGNORED, CREATE_FAILS_HALF_WAY
    }

    /** One DomainConfig and what the agent keeps for it. */
    static final class Config {
        final String name;
        DomainConfigSpec spec;
        long generation = 1;
        boolean deleted;
        boolean forgotten;
        Journal journal = Journal.empty();
        DomainConfigStatus status;
        Instant due;
        Optional<DomainInfo> lastSeen = Optional.empty();
        /**
         * The agent was killed or the node shut down since the last look: a new agent's first decision waits for a
         * poll of its own, so no look from before can be stale for it.
         */
        boolean restarted;
        int statusWrites;
        /**
         * The engine's last decision for it performed nothing: converged means quiet, so an operation's outcome (a
         * save confirmed, say) is always followed by a decision that writes the status it leads to.
         */
        boolean quiet;

        Config(String name, DomainConfigSpec spec, Instant due) {
            this.name = name;
            this.spec = spec;
            this.due = due;
        }

        String key() {
            return NS + "/" + name;
        }

        DesiredDomain desired() {
            return new DesiredDomain(NS, name, generation, spec, deleted, status);
        }
    }

    final ModelHypervisor hv = new ModelHypervisor();
    final ModelSaveImages images = new ModelSaveImages(this);
    final DomainDecider engine;
    final Map<String, Config> configs = new LinkedHashMap<>();
    final Map<String, String> adapterHolder = new HashMap<>();
    final Set<String> diskCopies = new HashSet<>();
    final List<String> violations = new ArrayList<>();
    final List<String> trace = new ArrayList<>();
    /** Operation kind per step number (1-based), for steps that chose one. */
    final Map<Integer, String> operations = new LinkedHashMap<>();
    Instant now = Fixtures.T0;
    int steps;

    ModelNode() {
        this(KNOBS);
    }

    ModelNode(Knobs knobs) {
        this.engine = new DomainDecider(knobs);
    }

    static DomainConfigSpec spec(String name, boolean copyDisk, boolean adapter, boolean restartOnChange,
                                 boolean keepDisks) {
        DomainConfigSpec s = Specs.minimal(name, 1, 256);
        s.setMaxMemoryMiB(512); // room for a live memory change (issue 18)
        Disk d = new Disk("/persist/img/" + name + ".qcow2", DiskFormat.qcow2, "xvda");
        d.setCopyOnStart(copyDisk);
        s.setDisks(new ArrayList<>(List.of(d)));
        if (adapter) {
            s.setAdapters(new ArrayList<>(List.of("nic-" + name)));
        }
        s.setRestartOnConfigChange(restartOnChange);
        s.setKeepDisksOnDelete(keepDisks);
        return s;
    }

    Config add(String name, DomainConfigSpec spec) {
        Config c = new Config(name, spec, now);
        configs.put(name, c);
        return c;
    }

    /** The live DomainConfig due first, or null when all are forgotten. */
    Config next() {
        Config first = null;
        for (Config c : configs.values()) {
            if (!c.forgotten && (first == null || c.due.isBefore(first.due))) {
                first = c;
            }
        }
        return first;
    }

    /** Runs one reconcile of the DomainConfig due first, with a fault. */
    void step(Fault fault) {
        Config c = next();
        if (c == null) {
            return;
        }
        if (c.due.isAfter(now)) {
            now = c.due;
        }
        steps++;
        hv.advance(now);
        List<ModelHypervisor.Dom> mine = hv.ownedBy(c.key());
        if (fault == Fault.GUEST_CRASH) {
            mine.stream().filter(d -> d.state.isAlive()).findFirst().ifPresent(hv::crash);
        }
        if (fault == Fault.SHUTDOWN_IGNORED) {
            mine.forEach(d -> d.ignoresShutdown = true);
        }
        DesiredDomain desired = c.desired();
        Optional<DomainInfo> fresh = hv.lookup(DomainDecider.hypervisorName(desired, c.journal));
        Optional<DomainInfo> seen = fault == Fault.STALE_OBSERVATION && !c.restarted ? c.lastSeen : fresh;
        c.restarted = false;
        c.lastSeen = fresh;

        Decision d = engine.decide(desired, seen, c.journal, adapterViews(c), dependencies(c), memory(), now);
        c.journal = d.journal();
        Operation op = d.operation();
        c.quiet = !d.hasOperation();
        trace.add(now + " " + c.name + " " + fault + " saw " + seen.map(i -> i.domainId() + ":" + i.state())
            .orElse("-") + " -> " + op + " [" + d.status().getPhase() + "]");
        if (d.hasOperation()) {
            operations.put(steps, op.kind());
            c.journal = c.journal.withIntent(op, now);
            if (fault == Fault.KILLED_BEFORE_EFFECT) {
                c.due = now;
                c.restarted = true;
                return;
            }
            try {
                DomainInfo info = perform(c, op, fault);
                if (fault == Fault.KILLED_AFTER_EFFECT) {
                    c.due = now;
                    c.restarted = true;
                    checkInvariants();
                    return;
                }
                c.journal = images.measured(c, op, c.journal.withSuccess(op, now, info));
            } catch (ModelHypervisor.Failure e) {
                c.journal = c.journal.withFailure(op, e.getMessage(), now);
            }
        }
        if (!c.forgotten && !d.status().equals(c.status)) {
            c.status = d.status();
            c.statusWrites++;
        }
        c.due = now.plus(d.requeueAfter());
        checkInvariants();
    }

    private DomainInfo perform(Config c, Operation op, Fault fault) {
        if (op instanceof Operation.SaveRestore sr) {
            return images.perform(c, sr, fault); // issue 18: its faults are the save directory's
        }
        if (fault == Fault.OPERATION_FAILS && !(op instanceof Operation.ForgetDomain)) {
            throw new ModelHypervisor.Failure("injected failure of " + op.kind());
        }
        switch (op) {
            case Operation.PrepareDisks p -> p.sources().forEach(s -> diskCopies.add(c.key() + "|" + s));
            case Operation.AssignAdapters a -> {
                for (String x : a.adapters()) {
                    String holder = adapterHolder.get(x);
                    if (holder != null && !holder.equals(c.key()) && !hv.ownedBy(holder).isEmpty()) {
                        violation("adapter " + x + " given to " + c.key() + " while a domain of " + holder + " has it");
                    }
                    adapterHolder.put(x, c.key());
                }
            }
            case Operation.CreatePaused cp -> {
                if (cp.spec().effectiveMaxMemoryMiB() > hv.freeMemoryMiB()) {
                    violation(c.key() + " created with " + hv.freeMemoryMiB() + " MiB free, needing "
                        + cp.spec().effectiveMaxMemoryMiB()); // rule 11 should have kept it Pending
                }
                return hv.createPaused(cp, c.key(), fault == Fault.CREATE_FAILS_HALF_WAY);
            }
            case Operation.Unpause u -> {
                requireOwn(c, u.name());
                hv.unpause(u.name());
                images.running(hv.existing(u.name()));
            }
            case Operation.Shutdown s -> {
                requireOwn(c, s.name());
                if (c.desired().wantsHalt()) {
                    checkDependentsDown(c, s.name()); // a reboot to apply config comes back: it is not a halt
                }
                hv.requestShutdown(s.name(), now);
            }
            case Operation.Pause p -> {
                requireOwn(c, p.name());
                hv.pause(p.name());
            }
            case Operation.Resume r -> {
                requireOwn(c, r.name());
                hv.unpause(r.name());
                images.running(hv.existing(r.name()));
            }
            case Operation.ResizeLive r -> {
                requireOwn(c, r.name());
                ModelHypervisor.Dom d = hv.existing(r.name());
                if (r.vcpus() > d.builtFrom.maxVcpus() || r.memoryMiB() > d.builtFrom.maxMemoryMiB()) {
                    violation("live resize of " + r.name() + " to " + r.vcpus() + " vCPUs, "
                        + r.memoryMiB() + " MiB beyond what it booted with: " + d.builtFrom);
                }
                d.builtFrom = LiveResizeRules.resized(d.builtFrom, r);
            }
            case Operation.Destroy x -> {
                requireOwn(c, x.name());
                if (c.desired().wantsHalt()) {
                    checkDependentsDown(c, x.name());
                }
                hv.destroy(x.name());
            }
            case Operation.ReleaseAdapters r -> {
                if (hv.ownedBy(c.key()).stream().anyMatch(ModelHypervisor.Dom::up)) {
                    violation("adapters of " + c.key() + " released while its domain runs");
                }
                r.adapters().forEach(x -> adapterHolder.remove(x, c.key()));
            }
            case Operation.CleanupDisks cd -> {
                if (!hv.ownedBy(c.key()).isEmpty()) {
                    violation("disks of " + c.key() + " cleaned while a domain of it exists");
                }
                cd.sources().forEach(s -> diskCopies.remove(c.key() + "|" + s));
            }
            case Operation.ForgetDomain f -> {
                if (!hv.ownedBy(c.key()).isEmpty()) {
                    violation(c.key() + " forgotten while a domain of it exists");
                }
                if (adapterHolder.containsValue(c.key())) {
                    violation(c.key() + " forgotten while holding an adapter");
                }
                c.forgotten = true;
            }
            case Operation.None none -> {
            }
            case Operation.SaveRestore sr -> {
            }
            case Operation.Migration m -> violation("the DomainConfig engine asked for " + m.kind()
                + ": migration steps come from MigrationDecider only");
        }
        return null;
    }

    private void requireOwn(Config c, String name) {
        hv.domains().stream().filter(d -> d.name.equals(name) && !d.owner.equals(c.key())).findFirst()
            .ifPresent(d -> violation(c.key() + " acted on " + name + ", a domain of " + d.owner));
    }

    /** A dependency never halts before its dependents. Only taking down a domain that is up halts it. */
    private void checkDependentsDown(Config dependency, String target) {
        if (hv.domains().stream().noneMatch(d -> d.name.equals(target) && d.up())) {
            return;
        }
        for (Config e : configs.values()) {
            if (e.spec.getStartAfter().contains(dependency.name)
                && hv.ownedBy(e.key()).stream().anyMatch(ModelHypervisor.Dom::up)) {
                violation(dependency.key() + " halted while its dependent " + e.key() + " runs");
            }
        }
    }

    private void checkInvariants() {
        images.forgetGone();
        Map<String, String> passedThrough = new HashMap<>();
        for (ModelHypervisor.Dom d : hv.domains()) {
            for (String a : d.builtFrom.adapters()) {
                String other = passedThrough.put(a, d.owner);
                if (other != null) {
                    violation("adapter " + a + " passed through to domains of " + other + " and " + d.owner);
                }
            }
        }
        for (Config c : configs.values()) {
            int n = hv.ownedBy(c.key()).size();
            if (n > 1) {
                violation(n + " domains for " + c.key() + ": " + hv.ownedBy(c.key()).stream().map(d -> d.name).toList());
            }
            if (c.forgotten && n > 0) {
                violation(c.key() + " forgotten but a domain of it remains");
            }
        }
    }

    void violation(String v) {
        violations.add("step " + steps + " at " + now + ": " + v);
    }

    /** What the agent would see: the model's free memory, nothing reserved (one reconcile at a time here). */
    NodeMemory memory() {
        return NodeMemory.of(hv.freeMemoryMiB() << 20, 0);
    }

    private List<AdapterView> adapterViews(Config c) {
        List<AdapterView> views = new ArrayList<>();
        for (String a : c.spec.getAdapters()) {
            String holder = adapterHolder.get(a);
            boolean holderRunning = holder != null && !hv.ownedBy(holder).isEmpty();
            views.add(new AdapterView(a, Fixtures.adapter("0000:0" + (Math.abs(a.hashCode()) % 9) + ":00.0"),
                holder, holderRunning, false));
        }
        return views;
    }

    private Dependencies dependencies(Config c) {
        Map<String, List<String>> graph = new HashMap<>();
        Map<String, DomainPhase> phases = new HashMap<>();
        for (Config o : configs.values()) {
            if (!o.forgotten) {
                graph.put(o.name, o.spec.getStartAfter());
                phases.put(o.name, o.status == null ? null : o.status.getPhase());
            }
        }
        return Dependencies.of(c.name, graph, phases);
    }

    /** What "done" means for one DomainConfig ({@link ModelConvergence}); null when it is there, else what is missing. */
    String notConverged(Config c) {
        return new ModelConvergence(this).notConverged(c);
    }

    boolean converged() {
        return configs.values().stream().allMatch(c -> notConverged(c) == null);
    }

    String report() {
        StringBuilder b = new StringBuilder();
        configs.values().forEach(c -> b.append(c.key()).append(": ").append(notConverged(c)).append('\n'));
        int from = Math.max(0, trace.size() - 40);
        trace.subList(from, trace.size()).forEach(t -> b.append("  ").append(t).append('\n'));
        return b.toString();
    }
}
