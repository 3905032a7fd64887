package io.domainoperator.controller.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The promises a chaos run checks while it runs, every few hundred milliseconds, on a thread beside the agent.
 * Each pass lists the DomainConfigs first and everything else after, so "its DomainConfig is gone" is known
 * before the state it is compared with is read: a breach found is a breach, not a race between two reads.
 * <ol>
 * <li>one domain per DomainConfig: no two domains on the hypervisor share a uuid;</li>
 * <li>no domain exists whose DomainConfig is gone (its finalizer was removed with the domain still there);</li>
 * <li>no two running domains hold the same adapter, and no adapter is assigned to a gone DomainConfig;</li>
 * <li>journal and status: no journal entry set aside as corrupt, none left for a gone DomainConfig, every sampled
 *     entry is whole JSON (never torn), and a status that says Running has its journal entry (unless the
 *     DomainConfig is being deleted);</li>
 * <li>(at each call, {@link ChaosWatchedHypervisor}) no create or unpause of a domain whose DomainConfig is gone.</li>
 * </ol>
 */
final class ChaosInvariants implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private volatile KubernetesClient client;
    private final SimulatedHypervisor sim;
    private final Path journalDir;
    /** Names the run deleted; once absent from a listing they are gone. */
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Deleted and seen absent from the API: nothing may act on them any more. */
    final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong passes = new AtomicLong();
    final AtomicLong checks = new AtomicLong();
    private final Random random = new Random(3);
    /** DomainConfigs whose status said Running with no journal entry on the last pass. */
    private final Set<String> suspects = new HashSet<>();
    private volatile boolean running = true;
    private final Thread thread;

    ChaosInvariants(SimulatedHypervisor sim, Path journalDir) {
        this.sim = sim;
        this.journalDir = journalDir;
        this.thread = new Thread(this::loop, "chaos-invariants");
        thread.setDaemon(true);
    }

    /** Starts checking against the agent's API server. */
    void start(KubernetesClient api) {
        this.client = api;
        thread.start();
    }

    void violation(String what) {
        if (violations.size() < 1000) {
            violations.add(what);
        }
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    private void loop() {
        while (running) {
            try {
                pass();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The API emulation answered badly (closing at the end): not a breach, try again.
            }
        }
    }

    /** One pass over every invariant; also called once more at the end. */
    void pass() {
        Map<String, DomainConfig> dcs = client.resources(DomainConfig.class).inNamespace("default").list().getItems()
            .stream().collect(Collectors.toMap(dc -> dc.getMetadata().getName(), Function.identity()));
        for (String name : deleted) {
            if (!dcs.containsKey(name)) {
                gone.add(name);
            }
        }
        Set<String> goneNow = Set.copyOf(gone);
        List<DomainInfo> domains = sim.peek();
        oneDomainPerConfig(domains);
        noDomainOfAGoneConfig(domains, goneNow);
        adapters(dcs, domains, goneNow);
        journalAndStatus(dcs, goneNow);
        passes.incrementAndGet();
    }

    private void oneDomainPerConfig(List<DomainInfo> domains) {
        Set<Object> uuids = new HashSet<>();
        for (DomainInfo d : domains) {
            checks.incrementAndGet();
            if (!uuids.add(d.uuid())) {
                violation("two domains with uuid " + d.uuid() + " (one is " + d.name() + ")");
            }
        }
    }

    private void noDomainOfAGoneConfig(List<DomainInfo> domains, Set<String> goneNow) {
        for (DomainInfo d : domains) {
            checks.incrementAndGet();
            if (goneNow.contains(d.name())) {
                violation("domain " + d.name() + " (" + d.state() + ") exists although its DomainConfig is gone");
            }
        }
    }

    private void adapters(Map<String, DomainConfig> dcs, List<DomainInfo> domains, Set<String> goneNow) {
        Map<String, String> holder = new HashMap<>();
        for (DomainInfo d : domains) {
            DomainConfig dc = dcs.get(d.name());
            if (dc == null || !d.state().running()) {
                continue;
            }
            for (String adapter : dc.getSpec().getAdapters()) {
                checks.incrementAndGet();
                String other = holder.putIfAbsent(adapter, d.name());
                if (other != null) {
                    violation("adapter " + adapter + " held by two running domains: " + other + " and " + d.name());
                }
            }
        }
        for (PhysicalIOAdapter a : client.resources(PhysicalIOAdapter.class).list().getItems()) {
            checks.incrementAndGet();
            String to = a.getStatus() == null ? null : a.getStatus().getAssignedTo();
            if (to != null && goneNow.contains(to.substring(to.indexOf('/') + 1))) {
                violation("adapter " + a.getMetadata().getName() + " assigned to " + to + ", whose DomainConfig is gone");
            }
        }
    }

    private void journalAndStatus(Map<String, DomainConfig> dcs, Set<String> goneNow) {
        List<String> files;
        try (Stream<Path> s = Files.list(journalDir)) {
            files = s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return; // not written yet
        }
        Set<String> entries = new HashSet<>(files);
        for (String f : files) {
            checks.incrementAndGet();
            if (f.contains(".corrupt-")) {
                violation("journal entry set aside as corrupt: " + f);
            }
        }
        for (String name : goneNow) {
            checks.incrementAndGet();
            if (entries.contains(journalFile(name))) {
                violation("journal entry left for gone DomainConfig " + name);
            }
        }
        for (DomainConfig dc : dcs.values()) {
            // A DomainConfig being deleted loses its journal entry just before its finalizer goes (ForgetDomain),
            // and its last status may still say Running then (the soak saw it): the object is going away with it.
            boolean deleting = dc.getMetadata().getDeletionTimestamp() != null;
            if (!deleting && dc.getStatus() != null && dc.getStatus().getPhase() == DomainPhase.Running) {
                checks.incrementAndGet();
                String name = dc.getMetadata().getName();
                if (!entries.contains(journalFile(name))) {
                    // The two reads are not one instant (a delete can begin and finish between them): a breach is
                    // one seen on two passes in a row.
                    if (!suspects.add(name)) {
                        violation("status of " + name + " says Running and it has no journal entry, on two passes");
                    }
                    continue;
                }
                suspects.remove(name);
            }
        }
        for (int i = 0; i < Math.min(20, files.size()); i++) {
            String f = files.get(random.nextInt(files.size()));
            if (!f.endsWith(".json")) {
                continue;
            }
            checks.incrementAndGet();
            try {
                JSON.readTree(journalDir.resolve(f).toFile());
            } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                // removed since the listing
            } catch (IOException e) {
                violation("journal entry " + f + " is not whole JSON: " + e.getMessage());
            }
        }
    }

    static String journalFile(String name) {
        return URLEncoder.encode("default/" + name, StandardCharsets.UTF_8) + ".json";
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
