package io.domainoperator.bench;

import java.util.List;
import java.util.Map;

/**
 * RESULTS.md: one section per run, newest first, each with where and how the figures were taken, the scenarios, the
 * load average meanwhile and the table. Earlier runs stay below, so a run after a change sits beside the one before.
 */
final class ResultsMarkdown {
    static final String TITLE = "# Node benchmark results\n\n";
    static final String INTRO = "Written by `bench/run` (see bench/README.md), newest run first. Measured, not asserted: the"
        + " machine is shared, so compare runs taken under similar load (the load average is recorded per scenario).\n\n";

    private ResultsMarkdown() {
    }

    /**
     * The file with this run's section put first, above everything {@code previous} held below its title and
     * introduction: run sections and the notes written beside them (a {@code ###} heading) alike.
     */
    static String prepend(String previous, String section) {
        String older = previous == null ? "" : previous;
        java.util.regex.Matcher first = java.util.regex.Pattern.compile("\n##+ ").matcher(older);
        older = first.find() ? older.substring(first.start() + 1) : "";
        return TITLE + INTRO + section + (older.isEmpty() ? "" : "\n" + older);
    }

    static String render(Map<String, String> machine, BenchSettings settings, List<Scenario> scenarios,
                         Map<String, String> loads, List<Figure> figures) {
        StringBuilder md = new StringBuilder("## " + machine.getOrDefault("date", "") + ", commit "
            + machine.getOrDefault("git commit", "") + "\n\n");
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
