package io.domainoperator.bench;

import io.fabric8.kubernetes.api.model.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Events the agent recorded on the named DomainConfigs: how many per domain, and who got Started twice. */
public record EventTally(double eventsPerDomain, int domainsWithDuplicateStarted, int startedEvents) {

    public static EventTally of(BenchCluster cluster, List<String> names) {
        return of(cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems(), Set.copyOf(names));
    }

    /**
     * Once the Events stop coming: the agent writes them from a queue of its own after the status that carries them
     * landed, so at 50 creates a second many are still on their way when the last domain shows Running (a listing
     * then counted 0.45-0.68 Events per domain where the agent's log showed every Started). Listed every 2 s until two
     * listings agree, for at most {@code atMost}.
     */
    public static EventTally settled(BenchCluster cluster, List<String> names, java.time.Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        EventTally last = of(cluster, names);
        while (System.nanoTime() < deadline) {
            AgentUnderTest.sleep(java.time.Duration.ofSeconds(2));
            EventTally now = of(cluster, names);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    static EventTally of(List<Event> events, Set<String> names) {
        Map<String, Integer> started = new HashMap<>();
        int total = 0;
        int startedTotal = 0;
        for (Event e : events) {
            String name = e.getInvolvedObject() == null ? null : e.getInvolvedObject().getName();
            if (name == null || !names.contains(name)) {
                continue;
            }
            int count = e.getCount() == null ? 1 : e.getCount();
            total += count;
            if ("Started".equals(e.getReason())) {
                started.merge(name, count, Integer::sum);
                startedTotal += count;
            }
        }
        int duplicates = (int) started.values().stream().filter(n -> n > 1).count();
        return new EventTally(names.isEmpty() ? Double.NaN : (double) total / names.size(), duplicates, startedTotal);
    }
}
