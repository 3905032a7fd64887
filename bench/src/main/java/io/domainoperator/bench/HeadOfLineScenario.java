package io.domainoperator.bench;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Head of line: one domain's call hangs for 60 s (the simulator's {@code --sim-hang}), and 100 others are created at
 * 10/s meanwhile. The target: the hang costs them nothing beyond one poll interval, i.e. their P99 stays within the
 * 100 @ 10/s target plus the agent's poll interval.
 */
public record HeadOfLineScenario(String name, String call) implements Scenario {
    static final String VICTIM = "hol-victim";
    static final Duration HANG = Duration.ofSeconds(60);
    static final int OTHERS = 100;
    static final double RATE = 10;
    static final double P99_TARGET = 1.2;

    @Override
    public String description() {
        return "one domain's " + call + " hangs for " + HANG.toSeconds() + " s while " + OTHERS + " others are created at "
            + Figure.format(RATE) + "/s";
    }

    @Override
    public List<Figure> run(BenchSettings settings) {
        List<Figure> figures = new ArrayList<>();
        try (NodeUnderTest node = NodeUnderTest.start(settings, name, "--sim-hang", call + ":" + VICTIM + "=" + HANG.toSeconds() + "s")) {
            node.creator.createOne(VICTIM);
            String hangLine;
            if (call.equals("shutdown")) {
                if (node.watch.awaitRunning(List.of(VICTIM), Duration.ofMinutes(3), node.agent) != 1) {
                    throw new IllegalStateException(VICTIM + " never reached Running; log " + node.agent.log());
                }
                node.cluster.domainConfigs().inNamespace(node.cluster.namespace()).withName(VICTIM)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"activate\": false}}");
                hangLine = "shutdown " + VICTIM + " hangs for";
            } else {
                hangLine = "list hangs for " + HANG + " on domain " + VICTIM;
            }
            if (!node.agent.awaitLog(hangLine, Duration.ofMinutes(2))) {
                throw new IllegalStateException("the agent's log never said '" + hangLine + "'; log " + node.agent.log());
            }
            long hangStart = System.nanoTime();
            PacedCreator.Result sent = node.creator.create("other", OTHERS, RATE);
            int running = node.watch.awaitRunning(sent.names(), Duration.ofMinutes(5), node.agent);
            long end = node.watch.lastRunningAt(sent.names());
            List<Double> millis = new ArrayList<>(node.watch.latenciesMillis(sent.names()));
            while (millis.size() < OTHERS) {
                millis.add(Double.POSITIVE_INFINITY);
            }
            Percentiles p = Percentiles.of(millis);
            double target = P99_TARGET + settings.pollInterval().toMillis() / 1000.0;
            figures.add(Figure.info(name, "others Running / created", running + " / " + OTHERS));
            figures.add(Figure.atMost(name, "others' creation to Running P50", p.p50() / 1000, "s", Double.NaN));
            figures.add(Figure.secondsAtMost(name, "others' creation to Running P99 (target: 1.2 s + one poll interval)",
                p.p99(), target));
            figures.add(Figure.atMost(name, "others' creation to Running max", p.max() / 1000, "s", Double.NaN));
            figures.add(Figure.info(name, "others that reached Running only after the hang ended (" + HANG.toSeconds() + " s)",
                Integer.toString(running - countBefore(node, sent, hangStart))));
            figures.add(Figure.info(name, "last other Running, seconds after the hang began",
                Figure.format(end > 0 ? (end - hangStart) / 1e9 : Double.NaN)));
        }
        return figures;
    }

    private static int countBefore(NodeUnderTest node, PacedCreator.Result sent, long hangStart) {
        int n = 0;
        for (String name : sent.names()) {
            long at = node.watch.lastRunningAt(List.of(name));
            if (at > 0 && at - hangStart < HANG.toNanos()) {
                n++;
            }
        }
        return n;
    }
}
