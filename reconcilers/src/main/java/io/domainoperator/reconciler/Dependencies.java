package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code startAfter} neighbourhood of one domain, precomputed by the controller so that rule 6 stays pure.
 * Names are DomainConfig names in the domain's namespace.
 *
 * @param dependencyPhases phase of each domain this one names in {@code startAfter}; a name missing from the
 *                         map has no DomainConfig (it counts as not Running)
 * @param dependentPhases  phase of each domain that names this one in its {@code startAfter}
 * @param cycle            a {@code startAfter} cycle reachable from this domain, as a closed path
 *                         ({@code [a, b, a]}), or empty
 * @param dependencyGuestReady for each dependency with a spec.readinessProbe: whether its GuestReady is True.
 *                         A dependency with a probe is waited for until its guest is up, not merely running.
 */
public record Dependencies(Map<String, DomainPhase> dependencyPhases, Map<String, DomainPhase> dependentPhases,
                           List<String> cycle, Map<String, Boolean> dependencyGuestReady) {

    private static final Dependencies NONE = new Dependencies(Map.of(), Map.of(), List.of());

    public Dependencies {
        dependencyPhases = Map.copyOf(dependencyPhases);
        dependentPhases = Map.copyOf(dependentPhases);
        cycle = List.copyOf(cycle);
        dependencyGuestReady = Map.copyOf(dependencyGuestReady);
    }

    /** A neighbourhood whose dependencies have no readiness probe. */
    public Dependencies(Map<String, DomainPhase> dependencyPhases, Map<String, DomainPhase> dependentPhases,
                        List<String> cycle) {
        this(dependencyPhases, dependentPhases, cycle, Map.of());
    }

    /** A domain nobody depends on and that depends on nobody. */
    public static Dependencies none() {
        return NONE;
    }

    /**
     * Builds the neighbourhood of {@code self} from the whole namespace.
     *
     * @param self              the domain's DomainConfig name
     * @param startAfterByName  {@code spec.startAfter} of every DomainConfig in the namespace
     * @param phaseByName       {@code status.phase} of every DomainConfig in the namespace (null entries allowed)
     */
    public static Dependencies of(String self, Map<String, List<String>> startAfterByName,
                                  Map<String, DomainPhase> phaseByName) {
        return of(self, startAfterByName, phaseByName, Map.of());
    }

    /**
     * As above, with {@code guestReadyByName}: for every DomainConfig of the namespace that has a
     * spec.readinessProbe, whether its GuestReady condition is True.
     */
    public static Dependencies of(String self, Map<String, List<String>> startAfterByName,
                                  Map<String, DomainPhase> phaseByName, Map<String, Boolean> guestReadyByName) {
        Objects.requireNonNull(self, "self");
        Map<String, DomainPhase> dependencies = new LinkedHashMap<>();
        for (String name : startAfterByName.getOrDefault(self, List.of())) {
            if (startAfterByName.containsKey(name)) {
                dependencies.put(name, phaseOrPending(phaseByName.get(name)));
            }
        }
        Map<String, DomainPhase> dependents = new LinkedHashMap<>();
        startAfterByName.forEach((name, after) -> {
            if (!name.equals(self) && after.contains(self)) {
                dependents.put(name, phaseOrPending(phaseByName.get(name)));
            }
        });
        Map<String, Boolean> guestReady = new LinkedHashMap<>();
        dependencies.keySet().forEach(name -> {
            if (guestReadyByName.containsKey(name)) {
                guestReady.put(name, Boolean.TRUE.equals(guestReadyByName.get(name)));
            }
        });
        return new Dependencies(dependencies, dependents, findCycle(self, startAfterByName), guestReady);
    }

    /** A {@code startAfter} cycle reachable from {@code start}, as a closed path, or empty. Deterministic. */
    public static List<String> findCycle(String start, Map<String, List<String>> startAfterByName) {
        List<String> path = new ArrayList<>();
        Set<String> onPath = new HashSet<>();
        Set<String> done = new HashSet<>();
        List<String> found = visit(start, startAfterByName, path, onPath, done);
        return found == null ? List.of() : found;
    }

    private static List<String> visit(String node, Map<String, List<String>> graph, List<String> path,
                                      Set<String> onPath, Set<String> done) {
        if (onPath.contains(node)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) {
            return null;
        }
        path.add(node);
        onPath.add(node);
        for (String next : graph.getOrDefault(node, List.of())) {
            List<String> cycle = visit(next, graph, path, onPath, done);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(node);
        return null;
    }

    private static DomainPhase phaseOrPending(DomainPhase phase) {
        return phase == null ? DomainPhase.Pending : phase;
    }

    /**
     * The {@code startAfter} names (in spec order) not ready to be started after: not Running yet, or, for one with
     * a readiness probe, Running without its guest up (GuestReady not True).
     */
    List<String> notReady(List<String> startAfter) {
        List<String> waiting = null;
        for (String name : startAfter) {
            boolean ready = dependencyPhases.get(name) == DomainPhase.Running
                && dependencyGuestReady.getOrDefault(name, Boolean.TRUE);
            if (!ready) {
                if (waiting == null) {
                    waiting = new ArrayList<>(2);
                }
                waiting.add(name);
            }
        }
        return waiting == null ? List.of() : waiting;
    }

    /** How a waiting dependent describes what it waits for. */
    String waitedFor(String name) {
        return dependencyGuestReady.containsKey(name) && dependencyPhases.get(name) == DomainPhase.Running
            ? name + " (its guest to be up: GuestReady)" : name;
    }

    /** Dependents that still have a domain up; this domain must not halt before they do. */
    List<String> dependentsUp() {
        List<String> up = null;
        for (Map.Entry<String, DomainPhase> e : dependentPhases.entrySet()) {
            if (holdsDependency(e.getValue())) {
                if (up == null) {
                    up = new ArrayList<>(2);
                }
                up.add(e.getKey());
            }
        }
        if (up == null) {
            return List.of();
        }
        up.sort(null);
        return up;
    }

    /** Phases in which a dependent's guest may be using this domain. Broken and Unknown are not trusted as down. */
    private static boolean holdsDependency(DomainPhase phase) {
        return switch (phase) {
            case Running, Booting, Paused, Halting, Unknown -> true;
            case Pending, Scheduled, Suspended, Halted, Broken -> false; // a suspended guest runs nothing until restored
        };
    }
}
