package io.domainoperator.bench;

import java.util.ArrayList;
import java.util.List;

/** The figures every creation run reports: how many got there, how fast, with how many writes and Events. */
final class LoadFigures {
    private LoadFigures() {
    }

    static List<Figure> of(String scenario, NodeUnderTest node, PacedCreator.Result sent, int running, long start, long end,
                           double lists, double statusWritesBefore) {
        int count = sent.names().size();
        List<Figure> f = new ArrayList<>();
        f.add(Figure.info(scenario, "domains Running / created", running + " / " + count
            + (sent.failures() > 0 ? " (" + sent.failures() + " creates failed)" : "")));
        f.add(Figure.info(scenario, "creates sent per second (achieved)", Figure.format(sent.achievedPerSecond())));
        List<int[]> writes = node.watch.writesToRunning(sent.names());
        double meanStatus = writes.stream().mapToInt(w -> w[1]).average().orElse(Double.NaN);
        int maxStatus = writes.stream().mapToInt(w -> w[1]).max().orElse(0);
        double meanWrites = writes.stream().mapToInt(w -> w[0]).average().orElse(Double.NaN);
        f.add(Figure.atMost(scenario, "status writes to Running per domain, max (watch)", maxStatus, "", 2));
        f.add(Figure.info(scenario, "status writes to Running per domain, mean (watch)", Figure.format(meanStatus)));
        f.add(Figure.info(scenario, "object writes to Running per domain, mean (watch; with the finalizer)", Figure.format(meanWrites)));
        double agentStatusWrites = node.agent.metric("domainoperator_status_writes_total") - statusWritesBefore;
        f.add(Figure.info(scenario, "status writes per domain (agent's domainoperator_status_writes_total)",
            Figure.format(agentStatusWrites / count)));
        EventTally events = EventTally.settled(node.cluster, sent.names(), java.time.Duration.ofSeconds(60));
        f.add(Figure.info(scenario, "Events per domain", Figure.format(events.eventsPerDomain())));
        // Events wait in a bounded queue for the API server (as client-go's recorder: 1,000, dropped beyond it).
        f.add(Figure.info(scenario, "Events dropped or refused since the agent started (domainoperator_events_failed_total)",
            Figure.format(node.agent.metric("domainoperator_events_failed_total"))));
        f.add(Figure.atMost(scenario, "domains with a duplicate Started event", events.domainsWithDuplicateStarted(), "", 0));
        double seconds = end > start ? (end - start) / 1e9 : Double.NaN;
        f.add(Figure.info(scenario, "hypervisor lists per second under load", Figure.format(lists / seconds)));
        return f;
    }

    /** Domains that never got to Running count as infinitely slow, so a percentile they reach says so. */
    static List<Figure> latencies(String scenario, List<Double> millis, int count, double p50Target, double p99Target) {
        List<Double> all = new ArrayList<>(millis);
        while (all.size() < count) {
            all.add(Double.POSITIVE_INFINITY);
        }
        Percentiles p = Percentiles.of(all);
        List<Figure> f = new ArrayList<>();
        f.add(Figure.secondsAtMost(scenario, "creation to Running P50", p.p50(), p50Target));
        f.add(Figure.atMost(scenario, "creation to Running P95", p.p95() / 1000, "s", Double.NaN));
        f.add(Figure.secondsAtMost(scenario, "creation to Running P99", p.p99(), p99Target));
        f.add(Figure.atMost(scenario, "creation to Running max", p.max() / 1000, "s", Double.NaN));
        return f;
    }
}
