package io.domainoperator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N DomainConfigs created at a steady rate against one agent: creation-to-Running percentiles (from just before the
 * create request to the first watch event showing phase Running), the writes and Events it took, hypervisor lists per
 * second meanwhile; then, optionally, the node at rest with every domain Running ({@link AtRestProbe}). A NaN target
 * prints the figure without a verdict.
 */
public record CreationScenario(String name, int count, double perSecond, double p50TargetSeconds, double p99TargetSeconds,
                               boolean atRest, Duration allRunningTarget, AtRestProbe.Targets atRestTargets)
    implements Scenario {

    @Override
    public String description() {
        return count + " domains created at " + Figure.format(perSecond) + "/s"
            + (atRest ? ", then the node at rest with all of them Running" : "");
    }

    @Override
    public List<Figure> run(BenchSettings settings) {
        List<Figure> figures = new ArrayList<>();
        try (NodeUnderTest node = NodeUnderTest.start(settings, name)) {
            figures.addAll(new Warmup(settings.warmup()).run(name, node, perSecond));
            double statusWritesBefore = node.agent.metric("domainoperator_status_writes_total");
            double listsBefore = node.agent.metric("domainoperator_hypervisor_calls_total{call=\"list\"");
            long start = System.nanoTime();
            PacedCreator.Result sent = node.creator.create("dom", count, perSecond);
            // Long enough for today's code to get there; a scale run with a target stops at three times it.
            Duration wait = allRunningTarget != null ? allRunningTarget.multipliedBy(3)
                : Duration.ofMinutes(10).plus(Duration.ofMillis(count * 200L));
            int running = node.watch.awaitRunning(sent.names(), wait, node.agent);
            long end = node.watch.lastRunningAt(sent.names());
            node.watch.writeTimeline(sent.names(), settings.logDir().resolve(name + "-timeline.txt"));
            double listsAfter = node.agent.metric("domainoperator_hypervisor_calls_total{call=\"list\"");
            figures.addAll(LoadFigures.of(name, node, sent, running, start, end, listsAfter - listsBefore,
                statusWritesBefore));
            figures.addAll(LoadFigures.latencies(name, node.watch.latenciesMillis(sent.names()), count, p50TargetSeconds,
                p99TargetSeconds));
            if (allRunningTarget != null) {
                figures.add(Figure.secondsAtMost(name, "time to all Running (first create to last Running)",
                    running == count ? (end - start) / 1e6 : Double.NaN, allRunningTarget.toSeconds()));
            }
            if (atRest && running == count) {
                figures.addAll(new AtRestProbe(name, node, atRestTargets).measure(settings));
            } else if (atRest) {
                figures.add(Figure.info(name, "at rest", "not measured: " + running + " of " + count + " Running after "
                    + wait.toMinutes() + " min"));
                double heap = node.agent.heapAfterFullGc(settings.logDir().resolve(name + "-jcmd.txt"));
                figures.add(Figure.atMost(name, "agent heap after full GC, " + running + " Running (jcmd GC.run)",
                    heap / (1 << 20), "MiB", atRestTargets.heapMiB()));
            }
        }
        return figures;
    }
}
