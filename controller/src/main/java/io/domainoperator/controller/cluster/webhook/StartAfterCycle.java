package io.domainoperator.controller.cluster.webhook;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code startAfter} cycle that passes through one DomainConfig, found before it is written. Only cycles
 * through the candidate count: a cycle among other domains that it merely reaches is theirs to fix, and
 * refusing it here would block an unrelated edit.
 */
final class StartAfterCycle {
    private StartAfterCycle() {
    }

    /** The error on {@code spec.startAfter[i]} whose name leads back to the candidate, by the shortest path. */
    static Optional<FieldError> through(DomainConfig candidate, List<DomainConfig> sameNamespace) {
        String self = candidate.getMetadata().getName();
        Map<String, List<String>> graph = new HashMap<>();
        sameNamespace.forEach(d -> graph.put(d.getMetadata().getName(), d.getSpec() == null ? List.of() : d.getSpec().getStartAfter()));
        List<String> own = candidate.getSpec().getStartAfter();
        graph.put(self, own);
        for (int i = 0; i < own.size(); i++) {
            String first = own.get(i);
            if (self.equals(first)) {
                return Optional.of(new FieldError("spec.startAfter[" + i + "]",
                    "'" + self + "' is this DomainConfig itself: a domain cannot start after itself; remove it"));
            }
        }
        for (int i = 0; i < own.size(); i++) {
            List<String> back = path(own.get(i), self, graph);
            if (!back.isEmpty()) {
                List<String> cycle = new ArrayList<>();
                cycle.add(self);
                cycle.addAll(back);
                return Optional.of(new FieldError("spec.startAfter[" + i + "]", "'" + own.get(i)
                    + "' closes a startAfter cycle " + String.join(" -> ", cycle)
                    + ": none of them could ever start; remove one of these names from a startAfter list"));
            }
        }
        return Optional.empty();
    }

    /** Shortest path {@code from -> ... -> to} along startAfter edges (both ends included), or empty. */
    private static List<String> path(String from, String to, Map<String, List<String>> graph) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        cameFrom.put(from, null);
        queue.add(from);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (node.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String at = node; at != null; at = cameFrom.get(at)) {
                    path.add(at);
                }
                Collections.reverse(path);
                return path;
            }
            for (String next : graph.getOrDefault(node, List.of())) {
                if (next != null && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, node);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }
}
