package io.domainoperator.controller.cluster;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why no node could take a domain: for each failed constraint, on how many nodes it failed first.
 *
 * @param nodes   nodes considered
 * @param reasons failed constraint (e.g. "insufficient memory (need 2048 MiB)") to number of nodes
 */
public record NoFit(int nodes, Map<String, Integer> reasons) {
    public NoFit {
        // Most frequent reason first, then alphabetical, so the message is stable from pass to pass.
        reasons = reasons.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** E.g. "0/3 nodes fit: 2 insufficient memory (need 2048 MiB), 1 lacks adapter edge-1-eth1". */
    public String message() {
        if (nodes == 0 && reasons.isEmpty()) {
            return "0/0 nodes fit: no node agent publishes a heartbeat Lease yet";
        }
        return "0/" + nodes + " nodes fit: " + reasons.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
    }
}
