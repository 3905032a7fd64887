package io.domainoperator.bench;

import java.util.List;
import java.util.Map;

/** RESULTS.md: where and how the figures were taken, the scenarios, the load average meanwhile, the table. */
final class ResultsMarkdown {
    private ResultsMarkdown() {
    }

    static String render(Map<String, String> machine, BenchSettings settings, List<Scenario> scenarios,
                         Map<String, String> loads, List<Figure> figures) {
        StringBuilder md = new StringBuilder("# Node benchmark results\n\n");
        md.append("Written by `bench/` (see bench/README.md). Measured, not asserted: the machine is shared, so compare runs")
            .append(" on the same machine and look at the load average.\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- agent: `java ").append(settings.agentJvm()).append(" -jar controller/target/domain-operator.jar agent")
            .append(" --hypervisor sim --sim-latency ").append(settings.simLatency())
            .append("` (its default --poll-interval, ").append(settings.pollInterval().toSeconds()).append(" s)\n");
        md.append("- API server: kube-apiserver 1.20.2 + etcd on loopback (e2e's LocalKubeCluster), a fresh one per scenario\n\n");
        md.append("| scenario | what | load average before -> after (duration) |\n|---|---|---|\n");
        for (Scenario s : scenarios) {
            md.append("| ").append(s.name()).append(" | ").append(s.description()).append(" | ")
                .append(loads.getOrDefault(s.name(), "")).append(" |\n");
        }
        md.append('\n').append(ResultsReport.markdown(figures));
        return md.toString();
    }
}
