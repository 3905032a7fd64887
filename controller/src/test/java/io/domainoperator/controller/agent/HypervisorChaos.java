package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.device.DevicePlugin;
import io.domainoperator.device.FakeCommandRunner;
import io.domainoperator.device.FakeSysfs;
import io.domainoperator.device.HostPolicy;
import io.domainoperator.device.InMemoryDeviceJournal;
import io.domainoperator.device.Machine;
import io.domainoperator.device.PassthroughDriver;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.domainoperator.hypervisor.sim.SimulatorFaults;
import io.domainoperator.reconciler.Knobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A hypervisor chaos run on one node agent: N domains on the simulator, then for a while 20% of the hypervisor's
 * operations fail, some creates leave half-created domains, a fifth of the guests ignore shutdown requests, guests
 * crash or vanish at random, calls hang, and the run itself halts, restarts and deletes domains; four domains pass
 * adapters through (two of them want the same GPU). {@link ChaosInvariants} checks the promises all along. Then the
 * faults stop and every domain must reach its desired state within the engine's retry budget. Prints the figures.
 */
final class HypervisorChaos {
    /** What one run does; the soak and CI's smoke differ only in these. */
    record Plan(int domains, Duration chaos, boolean crashes, long seed) {
    }

    private static final String NODE = AgentHarness.NODE;
    private final Plan plan;
    private final Path state;
    private final Path sysfs;
    private final Random random;
    private final Map<String, Long> runFaults = new TreeMap<>();
    private final Set<String> halted = ConcurrentHashMap.newKeySet();
    private final List<String> names = new ArrayList<>();
    private int nextName;

    HypervisorChaos(Plan plan, Path state, Path sysfs) {
        this.plan = plan;
        this.state = state;
        this.sysfs = sysfs;
        this.random = new Random(plan.seed());
    }

    /** Runs the plan; fails with every breach found. Returns the figures line. */
    String run() throws Exception {
        SimulatorFaults faults = new SimulatorFaults();
        SimulatedHypervisor sim = SimulatedHypervisor.builder().seed(plan.seed()).faults(faults).host(4096, 1L << 50).build();
        FakeSysfs kernel = Machine.boot(sysfs);
        DevicePlugin plugin = new DevicePlugin(kernel, new FakeCommandRunner(kernel), new InMemoryDeviceJournal(),
            PassthroughDriver.VFIO_PCI);
        GlobalKnobs knobs = new GlobalKnobs(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500), false);
        ChaosInvariants invariants = new ChaosInvariants(sim, state.resolve("journal"));
        ChaosWatchedHypervisor watched = new ChaosWatchedHypervisor(sim, invariants.gone, invariants::violation);
        try (AgentHarness h = harness(watched, plugin, knobs)) {
            invariants.start(h.client);
            long start = System.nanoTime();
            // The faults are on from the first create: every domain boots through them.
            faults.createFailureProbability(0.2).operationFailureProbability(0.2).halfCreateProbability(0.05)
                .processLossPerPoll(0.05);
            List<String> fleet = new ArrayList<>();
            for (int i = 0; i < plan.domains(); i++) {
                String name = newName();
                if (random.nextInt(5) == 0) {
                    faults.ignoreShutdownFor(name);
                }
                fleet.add(name);
            }
            // Applied by a few clients at once, as kubectl apply on a folder and a controller would.
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (String name : fleet) {
                    pool.submit(() -> h.apply(AgentHarness.domain(name)));
                }
            }
            List<String> adapterDomains = adapterDomains(h);
            long applied = System.nanoTime();
            long chaosEnd = applied + plan.chaos().toNanos();
            while (System.nanoTime() < chaosEnd) {
                disturb(h, sim, faults, invariants);
                Thread.sleep(Math.max(5, 2_000 / plan.domains()));
            }
            faults.clear();
            long quiet = System.nanoTime();
            Duration budget = retryBudget(knobs);
            await("every domain in its desired state after the faults stopped").atMost(budget)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertConverged(h, sim, kernel, adapterDomains, invariants.deleted));
            double converged = (System.nanoTime() - quiet) / 1e9;
            invariants.pass();
            invariants.close();
            assertThat(invariants.violations()).as("invariants broken during the run").isEmpty();
            Map<String, Long> injected = new TreeMap<>(faults.injected());
            injected.putAll(runFaults);
            long total = injected.values().stream().mapToLong(Long::longValue).sum();
            return String.format("HYPERVISOR CHAOS: %d domains (%d created in all, %d deleted, %d halted at the end),"
                    + " %.0f s of chaos, %d faults injected %s; %d invariant passes, %d invariant checks"
                    + " (+%d checked hypervisor calls), 0 broken; all converged %.1f s after the faults stopped"
                    + " (budget %d s); %d DomainConfigs applied in %.0f s; run %.0f s",
                plan.domains(), nextName, invariants.deleted.size(), halted.size(), plan.chaos().toSeconds() * 1.0, total,
                injected, invariants.passes.get(), invariants.checks.get(), watched.checks.get(), converged,
                budget.toSeconds(), plan.domains() + 4, (applied - start) / 1e9, (System.nanoTime() - start) / 1e9);
        }
    }

    private AgentHarness harness(ChaosWatchedHypervisor watched, DevicePlugin plugin, GlobalKnobs knobs) {
        return new AgentHarness(state, knobs, watched, (client, active) -> {
            DeviceAdapterAssigner assigner = new DeviceAdapterAssigner(plugin, client, NODE,
                new HostPolicy(Machine.MANAGEMENT_PORTS, false), active, Clock.systemUTC());
            assigner.start();
            return assigner;
        });
    }

    /** Four domains with adapters: two want the GPU (one may run), one the second NIC, one the serial card (a radio is never passed through). */
    private List<String> adapterDomains(AgentHarness h) {
        List<String> made = new ArrayList<>();
        for (String[] d : List.of(new String[] {"gpu-a", Machine.GPU}, new String[] {"gpu-b", Machine.GPU},
            new String[] {"nic-a", Machine.ETH1}, new String[] {"serial-a", Machine.SERIAL})) {
            DomainConfig dc = AgentHarness.domain(d[0]);
            dc.getSpec().getAdapters().add(adapterName(h, d[1]));
            h.apply(dc);
            made.add(d[0]);
        }
        return made;
    }

    private static String adapterName(AgentHarness h, String pci) {
        return h.client.resources(PhysicalIOAdapter.class).list().getItems().stream()
            .filter(a -> pci.equals(a.getSpec().getPciAddress())).findFirst().orElseThrow().getMetadata().getName();
    }

    private String newName() {
        String name = String.format("vm-%04d", nextName++);
        names.add(name);
        return name;
    }

    /** One disturbance, drawn from the run's seeded dice. */
    private void disturb(AgentHarness h, SimulatedHypervisor sim, SimulatorFaults faults, ChaosInvariants inv) {
        List<DomainInfo> now = sim.peek();
        int dice = random.nextInt(100);
        if (dice < 30 && plan.crashes() && !now.isEmpty()) {
            DomainInfo d = now.get(random.nextInt(now.size()));
            if (d.state().running()) {
                sim.crash(d.name());
                count("crash");
            }
        } else if (dice < 45) {
            faults.hangShutdownOnce(pick(), Duration.ofMillis(500 + random.nextInt(2_500)));
            count("shutdown-hang-armed");
        } else if (dice < 50) {
            faults.hangListOnce(pick(), Duration.ofMillis(200 + random.nextInt(800)));
            count("list-hang-armed");
        } else if (dice < 75) {
            String name = pick();
            boolean halt = !halted.contains(name);
            DomainConfig dc = h.get(name);
            if (dc != null && dc.getMetadata().getDeletionTimestamp() == null && setActivate(h, name, !halt)) {
                if (halt) {
                    halted.add(name);
                } else {
                    halted.remove(name);
                }
                count(halt ? "halt-asked" : "restart-asked");
            }
        } else if (dice < 85) {
            String name = pick();
            if (!inv.deleted.contains(name)) {
                inv.deleted.add(name);
                halted.remove(name);
                h.client.resources(DomainConfig.class).inNamespace("default").withName(name).delete();
                String fresh = newName();
                if (random.nextInt(5) == 0) {
                    faults.ignoreShutdownFor(fresh);
                }
                h.apply(AgentHarness.domain(fresh));
                count("delete-and-replace");
            }
        }
    }

    /** As a user would: edit, and on a conflict (the agent wrote in between) read again, a few times. */
    private static boolean setActivate(AgentHarness h, String name, boolean activate) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                h.client.resources(DomainConfig.class).inNamespace("default").withName(name).edit(d -> {
                    d.getSpec().setActivate(activate);
                    return d;
                });
                return true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        return false;
    }

    private String pick() {
        return names.get(random.nextInt(names.size()));
    }

    private void count(String kind) {
        runFaults.merge(kind, 1L, Long::sum);
    }

    /**
     * The longest a domain may need once the faults stop, from the engine's own timers: a crash soon after boot
     * waits minRebootDelay, a boot that failed its quick retries waits timer.boot.retry, a halt waits the shutdown
     * timeout; plus one quick-retry round and a minute for a busy shared machine to work through the queue.
     */
    static Duration retryBudget(GlobalKnobs knobs) {
        Knobs k = knobs.engineKnobs();
        return k.minRebootDelay().plus(k.bootRetry()).plus(k.quickRetryDelay().multipliedBy(k.quickBootRetries()))
            .plus(knobs.shutdownTimeout()).plus(Duration.ofSeconds(60));
    }

    private void assertConverged(AgentHarness h, SimulatedHypervisor sim, FakeSysfs kernel, List<String> adapterDomains,
                                 Set<String> deleted) throws java.io.IOException {
        Map<String, DomainConfig> dcs = h.client.resources(DomainConfig.class).inNamespace("default").list().getItems()
            .stream().collect(Collectors.toMap(dc -> dc.getMetadata().getName(), dc -> dc));
        Map<String, DomainInfo> domains = sim.peek().stream().collect(Collectors.toMap(DomainInfo::name, d -> d));
        assertThat(deleted).as("deleted DomainConfigs are gone").noneMatch(dcs::containsKey);
        List<String> wrong = new ArrayList<>();
        for (DomainConfig dc : dcs.values()) {
            String name = dc.getMetadata().getName();
            DomainPhase phase = dc.getStatus() == null ? null : dc.getStatus().getPhase();
            DomainInfo d = domains.get(name);
            boolean active = !Boolean.FALSE.equals(dc.getSpec().getActivate());
            if (name.startsWith("gpu-")) {
                continue; // the pair that wants one GPU: checked below
            }
            if (active && (phase != DomainPhase.Running || d == null || !d.state().running())) {
                wrong.add(name + " " + phase + " " + (d == null ? "no domain" : d.state()));
            } else if (!active && (phase != DomainPhase.Halted || d != null)) {
                wrong.add(name + " " + phase + " " + (d == null ? "no domain" : d.state()) + " (activate: false)");
            }
        }
        assertThat(wrong).as("domains not in their desired state (%d)", wrong.size()).isEmpty();
        assertThat(domains.keySet()).as("no domain without its DomainConfig").allMatch(dcs::containsKey);
        long gpuRunning = adapterDomains.stream().filter(n -> n.startsWith("gpu-"))
            .filter(n -> domains.containsKey(n) && domains.get(n).state().running()).count();
        boolean gpuWanted = adapterDomains.stream().filter(n -> n.startsWith("gpu-"))
            .anyMatch(n -> dcs.containsKey(n) && !Boolean.FALSE.equals(dcs.get(n).getSpec().getActivate()));
        assertThat(gpuRunning).as("the GPU runs in exactly one of the two domains that want it").isEqualTo(gpuWanted ? 1 : 0);
        assertThat(kernel.driverOf(Machine.GPU)).as("the GPU's driver").isEqualTo(gpuRunning == 1 ? "vfio-pci" : "nouveau");
        for (String[] a : List.of(new String[] {"nic-a", Machine.ETH1, "igb"}, new String[] {"serial-a", Machine.SERIAL, "serial"})) {
            boolean held = domains.containsKey(a[0]) && domains.get(a[0]).state().running();
            if (held) {
                assertThat(kernel.driverOf(a[1])).as("%s passed through to %s", a[1], a[0]).isEqualTo("vfio-pci");
            } else {
                // a NIC dom0 does not manage waits in the passthrough driver when free (EVE's rule)
                assertThat(kernel.driverOf(a[1])).as("%s, no running holder", a[1]).isIn("vfio-pci", a[2]);
            }
        }
        assertThat(pendingIntents()).as("journal entries with an intent still pending").isEmpty();
    }

    private List<String> pendingIntents() throws java.io.IOException {
        Path dir = state.resolve("journal");
        List<String> pending = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                var entry = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
                if ("PENDING".equals(entry.path("intent").path("outcome").asText())) {
                    pending.add(f.getFileName().toString());
                }
            }
        }
        return pending;
    }
}
