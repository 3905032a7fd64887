package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.e2e.harness.chart.ChartFiles;

/**
 * Every panel query of the chart's Grafana dashboard is valid PromQL, as Prometheus' own parser says:
 * each becomes a recording rule and {@code promtool check rules} parses them. (Which metric names the
 * queries use is checked against a real scrape by the controller's DashboardQueriesTest.) Grafana's
 * variables are replaced the way Grafana would: {@code $__rate_interval} by a duration, {@code $node} by a regex.
 */
class DashboardPromqlIT {

    private static Path promtool;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPromtool() {
        promtool = locate().orElse(null);
        assumeTrue(promtool != null, "promtool is absent: .ci/setup.d/50-prometheus.sh unpacks it from Debian's prometheus"
                + " package into $DOMAIN_OPERATOR_CACHE/promtool/bin");
    }

    @Test
    void everyPanelQueryParsesAsPromql() throws Exception {
        List<String> queries = panelQueries(new ObjectMapper().readTree(Files.readString(ChartFiles.dashboard())));

        assertThat(queries).isNotEmpty();
        String output = checkRules(queries);
        assertThat(output).contains("SUCCESS: " + queries.size() + " rules found");
    }

    /** The check itself: a query Prometheus cannot parse fails it. */
    @Test
    void anUnparsableQueryFails() throws Exception {
        assertThat(checkRules(List.of("sum by (node) (rate(domainoperator_boot_attempts_total[$__rate_interval])")))
                .startsWith("exit 1");
    }

    private static List<String> panelQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
            collect(panel.path("panels"), queries);
        }
    }

    /** Grafana's built-in interval variables become a duration, dashboard variables (used in regex matchers) ".*". */
    static String asPromql(String grafanaQuery) {
        return grafanaQuery.replaceAll("\\$__\\w+", "5m").replaceAll("\\$\\{?\\w+}?", ".*");
    }

    /** Runs {@code promtool check rules} on one recording rule per query; "" output means it did not run. */
    private String checkRules(List<String> queries) throws IOException, InterruptedException {
        List<Map<String, String>> rules = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            rules.add(Map.of("record", "dashboard:query" + i, "expr", asPromql(queries.get(i))));
        }
        // JSON is YAML: promtool reads it as a rules file.
        Path file = dir.resolve("dashboard-rules.yml");
        new ObjectMapper().writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
        Process process = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool check rules did not finish");
        }
        return process.exitValue() == 0 ? output : "exit " + process.exitValue() + ": " + output;
    }

    private static Optional<Path> locate() {
        String cache = System.getProperty("domainoperator.cache", System.getenv("DOMAIN_OPERATOR_CACHE"));
        Path dir = cache == null || cache.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "domain-operator") : Path.of(cache);
        return Optional.of(dir.resolve("promtool/bin/promtool")).filter(Files::isExecutable)
                .or(() -> Optional.of(Path.of("/usr/bin/promtool")).filter(Files::isExecutable));
    }
}
