package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node shutdown ({@code --halt-on-exit}): halts every domain of this node in reverse dependency order,
 * gracefully, then forced, within a total deadline. Dependents go first: a level of domains is asked to shut
 * down once, waited for up to its timeout (never past the deadline), and destroyed only if still there. The
 * xendomains bug in reverse: a second shutdown request is never sent before the first was waited for.
 * Runs after the reconcile loop has stopped, so nothing boots the domains again.
 */
public final class ShutdownHalt {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHalt.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private final KubernetesClient client;
    private final Hypervisor hypervisor;
    private final AgentConfig config;
    private final Clock clock;

    public ShutdownHalt(KubernetesClient client, Hypervisor hypervisor, AgentConfig config, Clock clock) {
        this.client = client;
        this.hypervisor = hypervisor;
        this.config = config;
        this.clock = clock;
    }

    public void haltAll() {
        Instant deadline = clock.instant().plus(config.haltDeadline());
        List<DomainConfig> mine;
        try {
            mine = client.resources(DomainConfig.class).inAnyNamespace().list().getItems().stream()
                .filter(dc -> dc.getSpec() != null && config.nodeName().equals(dc.getSpec().getNodeName())).toList();
        } catch (RuntimeException e) {
            LOG.warn("halt on exit: cannot list DomainConfigs ({}); halting every domain of ours in one level", e.getMessage());
            mine = List.of();
        }
        Map<String, Duration> timeoutByName = new HashMap<>();
        mine.forEach(dc -> timeoutByName.put(dc.getSpec().getDisplayName(), dc.getSpec().getShutdownTimeoutSeconds() == null
            ? config.knobs().shutdownTimeout() : Duration.ofSeconds(dc.getSpec().getShutdownTimeoutSeconds())));
        List<List<String>> levels = haltOrder(mine);
        Set<String> ordered = levels.stream().flatMap(List::stream).collect(Collectors.toSet());
        List<String> rest = hypervisor.listDomains().stream().filter(DomainInfo::ours).map(DomainInfo::name)
            .filter(n -> !ordered.contains(n)).toList();
        if (!rest.isEmpty()) {
            levels.add(rest);
        }
        Map<String, DomainConfig> byName = new HashMap<>();
        mine.forEach(dc -> byName.put(dc.getSpec().getDisplayName(), dc));
        HostShutdownSave saves = new HostShutdownSave(hypervisor, config, clock);
        for (List<String> level : levels) {
            // spec.onHostShutdown Save: saved, not halted (issue 18), and reported Suspended until restored.
            Set<String> saved = saves.saveLevel(level, byName, deadline);
            haltLevel(level, timeoutByName, deadline);
            // Only those it found gone: a domain the deadline cut short keeps the status the loop wrote.
            Set<String> alive = liveOurs(level);
            level.stream().filter(n -> !alive.contains(n) && byName.containsKey(n)).forEach(n -> {
                if (saved.contains(n)) {
                    HaltedStatus.reportSaved(client, byName.get(n), clock);
                } else {
                    HaltedStatus.report(client, byName.get(n), clock);
                }
            });
        }
        LOG.info("halt on exit: done");
    }

    private void haltLevel(List<String> names, Map<String, Duration> timeouts, Instant deadline) {
        Set<String> alive = liveOurs(names);
        if (alive.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Instant> until = new HashMap<>();
        for (String name : alive) {
            try {
                hypervisor.requestShutdown(name);
                LOG.info("{}: GracefulShutdown requested (halt on exit)", name);
            } catch (RuntimeException e) {
                LOG.warn("{}: shutdown request failed: {}", name, e.getMessage());
            }
            Instant t = now.plus(timeouts.getOrDefault(name, config.knobs().shutdownTimeout()));
            until.put(name, t.isAfter(deadline) ? deadline : t);
        }
        while (!alive.isEmpty()) {
            alive = liveOurs(alive);
            Instant t = clock.instant();
            for (String name : List.copyOf(alive)) {
                if (!t.isBefore(until.get(name))) {
                    LOG.warn("{}: ShutdownForced: graceful shutdown did not finish in time", name);
                    hypervisor.destroy(name);
                    alive.remove(name);
                }
            }
            if (!alive.isEmpty()) {
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        // Domains that shut down leave a shell on Xen; remove it so the node is clean.
        for (String name : names) {
            try {
                hypervisor.destroy(name);
            } catch (RuntimeException e) {
                LOG.debug("{}: destroy after shutdown: {}", name, e.getMessage());
            }
        }
    }

    private Set<String> liveOurs(java.util.Collection<String> names) {
        Set<String> wanted = new HashSet<>(names);
        return hypervisor.listDomains().stream().filter(d -> d.ours() && wanted.contains(d.name())
                && !d.state().hasStopped() && !d.state().dying())
            .map(DomainInfo::name).collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * Levels of hypervisor names, dependents first: a domain is in a level after every domain that names it in
     * startAfter (within its namespace). Cycles (rejected elsewhere) fall into the last level together.
     */
    static List<List<String>> haltOrder(List<DomainConfig> domains) {
        Map<String, DomainConfig> byKey = new HashMap<>();
        domains.forEach(dc -> byKey.put(dc.getMetadata().getNamespace() + "/" + dc.getMetadata().getName(), dc));
        Map<String, Set<String>> dependents = new HashMap<>();
        byKey.forEach((key, dc) -> {
            String ns = dc.getMetadata().getNamespace();
            for (String dep : dc.getSpec().getStartAfter()) {
                dependents.computeIfAbsent(ns + "/" + dep, k -> new HashSet<>()).add(key);
            }
        });
        List<List<String>> levels = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (done.size() < byKey.size()) {
            List<String> level = byKey.keySet().stream().filter(k -> !done.contains(k))
                .filter(k -> dependents.getOrDefault(k, Set.of()).stream().allMatch(d -> done.contains(d) || !byKey.containsKey(d)))
                .sorted().toList();
            if (level.isEmpty()) {
                level = byKey.keySet().stream().filter(k -> !done.contains(k)).sorted().toList();
            }
            done.addAll(level);
            levels.add(new ArrayList<>(level.stream().map(k -> byKey.get(k).getSpec().getDisplayName()).toList()));
        }
        return levels;
    }
}
