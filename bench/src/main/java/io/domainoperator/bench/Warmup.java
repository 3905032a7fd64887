package io.domainoperator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the domains a creation scenario measures, some are booted and deleted: an agent on a node has booted and
 * halted domains before creates come, and a fresh JVM spends its first seconds loading classes and compiling the
 * create path, a fresh API server its first answering requests for the kind (with 10, the first 6-7 s of
 * create-1000's burst waited 0.3-2.3 s for the agent's first write, and set its P99). What a fresh node's first
 * creates take is not hidden: the warm-up domains' own creation-to-Running is printed apart.
 *
 * @param count domains booted and deleted first ({@code -Dbench.warmup}); 0 measures a fresh agent
 */
record Warmup(int count) {
    static final int DEFAULT = 200;
    private static final Duration WAIT = Duration.ofMinutes(2);

    List<Figure> run(String scenario, NodeUnderTest node, double perSecond) {
        if (count == 0) {
            return List.of();
        }
        PacedCreator.Result sent = node.creator.create("warm", count, perSecond);
        int running = node.watch.awaitRunning(sent.names(), WAIT, node.agent);
        List<Figure> f = new ArrayList<>();
        Percentiles p = Percentiles.of(node.watch.latenciesMillis(sent.names()));
        f.add(Figure.info(scenario, "warm-up: a fresh agent's first " + count + " creates, creation to Running P50 / P99 / max",
            running == count ? Figure.format(p.p50() / 1000) + " s / " + Figure.format(p.p99() / 1000) + " s / "
                + Figure.format(p.max() / 1000) + " s"
                : running + " of " + count + " Running after " + WAIT.toMinutes() + " min"));
        for (String name : sent.names()) {
            node.cluster.domainConfigs().inNamespace(node.cluster.namespace()).withName(name).delete();
        }
        int gone = node.watch.awaitGone(sent.names(), WAIT, node.agent);
        if (gone < count) {
            throw new IllegalStateException("warm-up: " + gone + " of " + count + " DomainConfigs deleted after "
                + WAIT.toMinutes() + " min; the agent did not let them go (see its log)");
        }
        return f;
    }
}
