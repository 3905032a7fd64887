package io.domainoperator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node at rest, every domain Running: the agent's CPU over two minutes in a row (from /proc/<pid>/stat), the API
 * writes it makes in the second (watches), then /metrics scraped 100 times by a real Prometheus (the target's figure)
 * and 100 times back to back by the bench's own client (time and size), and the heap after a full GC.
 *
 * <p>Both minutes are printed, to show whether the agent settles after the burst of creates; the target is judged on
 * the second. (With C2 compiling, it did not: JFR showed the JIT compiler threads at about two thirds of the agent's CPU
 * in both minutes, recompiling after deoptimizations; the image now runs C1 only, see the Dockerfile.)
 */
public record AtRestProbe(String scenario, NodeUnderTest node, Targets targets) {
    static final Duration SETTLE = Duration.ofSeconds(15);
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final int SCRAPES = 100;

    /** The targets for this many domains; NaN for none. */
    public record Targets(double idleCpuPercent, double scrapeP99Millis, double heapMiB) {
        public static final Targets NONE = new Targets(Double.NaN, Double.NaN, Double.NaN);
    }

    private double cpuPercentOver(Duration window) {
        long ticks = node.agent.cpuTicks();
        long start = System.nanoTime();
        AgentUnderTest.sleep(window);
        node.agent.assertAlive();
        return (node.agent.cpuTicks() - ticks) / (double) ProcStat.TICKS_PER_SECOND / ((System.nanoTime() - start) / 1e9) * 100;
    }

    public List<Figure> measure(BenchSettings settings) {
        List<Figure> f = new ArrayList<>();
        AgentUnderTest.sleep(SETTLE);
        f.add(Figure.info(scenario, "agent CPU in the first minute after the creates (% of a core, 60 s)",
            Figure.format(cpuPercentOver(WINDOW)) + " %"));
        long domainWrites = node.watch.modifiedEvents();
        long events = node.writes.events();
        long leases = node.writes.leases();
        long ticks = node.agent.cpuTicks();
        long start = System.nanoTime();
        AgentUnderTest.sleep(WINDOW);
        node.agent.assertAlive();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuPercent = (node.agent.cpuTicks() - ticks) / (double) ProcStat.TICKS_PER_SECOND / seconds * 100;
        double minutes = seconds / 60;
        long dw = node.watch.modifiedEvents() - domainWrites;
        long ev = node.writes.events() - events;
        long le = node.writes.leases() - leases;
        f.add(Figure.atMost(scenario, "agent CPU at rest, the minute after (% of a core, 60 s)", cpuPercent, "%",
            targets.idleCpuPercent()));
        f.add(Figure.info(scenario, "API writes per minute at rest (DomainConfigs + Events + Leases)",
            Figure.format((dw + ev + le) / minutes) + " (" + Figure.format(dw / minutes) + " + " + Figure.format(ev / minutes)
                + " + " + Figure.format(le / minutes) + ")"));

        List<Double> millis = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < SCRAPES; i++) {
            long t = System.nanoTime();
            AgentUnderTest.Reply r = node.agent.get("/metrics");
            millis.add((System.nanoTime() - t) / 1e6);
            size = r.body().length;
        }
        Percentiles p = Percentiles.of(millis);
        f.addAll(scrapedByPrometheus(settings));
        f.add(Figure.info(scenario, "/metrics, 100 back-to-back GETs by the bench's JDK client, P50 / P99",
            Figure.format(p.p50()) + " ms / " + Figure.format(p.p99()) + " ms"));
        f.add(Figure.info(scenario, "/metrics size (uncompressed)", Figure.format(size / 1024.0) + " KiB"));
        double heap = node.agent.heapAfterFullGc(settings.logDir().resolve(scenario + "-jcmd.txt"));
        f.add(Figure.atMost(scenario, "agent heap after full GC (jcmd GC.run; jvm_memory_used_bytes)", heap / (1 << 20), "MiB",
            targets.heapMiB()));
        return f;
    }

    /** /metrics as a real Prometheus scrapes it (see {@link PrometheusScrape}): the figure the target is judged on. */
    private List<Figure> scrapedByPrometheus(BenchSettings settings) {
        String what = "/metrics scrape by Prometheus every " + PrometheusScrape.INTERVAL.toMillis() + " ms, "
            + SCRAPES + " scrapes (scrape_duration_seconds)";
        PrometheusScrape.Result r;
        try {
            r = PrometheusScrape.locate().map(server -> {
                try {
                    return server.measure(node.agent.metricsPort(), SCRAPES, settings.workDir());
                } catch (java.io.IOException e) {
                    return PrometheusScrape.Result.none("prometheus failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return PrometheusScrape.Result.none("interrupted");
                }
            }).orElse(PrometheusScrape.Result.none("no prometheus server: .ci/setup.d/50-prometheus.sh unpacks one"));
        } catch (RuntimeException e) {
            r = PrometheusScrape.Result.none("prometheus failed: " + e);
        }
        if (r.problem() != null) {
            return List.of(Figure.info(scenario, what, "not measured: " + r.problem()));
        }
        return List.of(Figure.info(scenario, what + ", P50 / max", Figure.format(r.p50Millis()) + " ms / "
                + Figure.format(r.maxMillis()) + " ms"),
            Figure.atMost(scenario, what + ", P99", r.p99Millis(), "ms", targets.scrapeP99Millis()));
    }
}
