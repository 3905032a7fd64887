package io.domainoperator.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Grafana dashboard the chart ships (helm/domain-operator/dashboards/domain-operator.json) queries
 * only metrics the agent really exports: every metric name in its PromQL (panel targets and template
 * variables) must appear in a scrape of a populated {@link DomainMetrics} registry. A renamed meter
 * would otherwise leave an empty panel that nobody notices until an incident.
 */
class DashboardQueriesTest {

    private static final Path DASHBOARD = Path.of("..", "helm", "domain-operator", "dashboards", "domain-operator.json");

    /** Words of PromQL that look like metric names but are not. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2", "start", "end");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Grafana's template query {@code label_values(metric, label)}; the one-argument form names no metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,");

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        Set<String> queried = metricNames(queries(dashboard()));
        Set<String> exported = exportedNames(populatedScrape());

        assertThat(queried).as("metric names in the dashboard's queries").isNotEmpty();
        assertThat(exported).as("names a populated DomainMetrics scrape exports").containsAll(queried);
    }

    @Test
    void dashboardShowsWhatOperatorsAskFor() throws IOException {
        Set<String> queried = metricNames(queries(dashboard()));

        assertThat(queried).contains(
                "domainoperator_domain_cpu_seconds_total", "domainoperator_domain_memory_bytes",
                "domainoperator_host_cpu_seconds_total", "domainoperator_host_memory_total_bytes",
                "domainoperator_host_memory_free_bytes", "domainoperator_domain_phase",
                "domainoperator_boot_attempts_total", "domainoperator_boot_failures_total",
                "domainoperator_shutdowns_forced_total", "domainoperator_reconcile_duration_seconds_bucket",
                "domainoperator_domain_restarts_total", "domainoperator_controller_placements_total",
                "domainoperator_controller_unplaced_domains", "domainoperator_controller_leader",
                "domainoperator_controller_webhook_admissions_total");
        assertThat(queries(dashboard())).as("reconcile latency is a quantile of the histogram")
                .anyMatch(q -> q.contains("histogram_quantile(") && q.contains("domainoperator_reconcile_duration_seconds_bucket"));
    }

    @Test
    void everyPanelHasAQuery() throws IOException {
        for (JsonNode panel : dashboard().path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("targets")).as("targets of panel '%s'", panel.path("title").asText())
                        .isNotEmpty().allSatisfy(t -> assertThat(t.path("expr").asText()).isNotBlank());
            }
        }
    }

    /** The extractor itself: metric names out, functions, labels, keywords, durations and variables not. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rate(a_total{node=~"$node", name!="b_total"}[$__rate_interval])                       | a_total
            histogram_quantile(0.99, sum by (le, operation) (rate(h_bucket[5m])))                 | h_bucket
            sum(x) by (node) / on(node) group_left(zone) y_info offset 5m                         | x y_info
            sum without (instance) (increase(c_total[1h:5m])) > bool 1e3                          | c_total
            total_bytes - free_bytes                                                              | free_bytes total_bytes
            label_values(domainoperator_host_cpus, node)                                          | domainoperator_host_cpus
            label_values(node)                                                                    | ''
            max_over_time(up{job='a b'}[5m]) unless absent(up)                                    | up
            """)
    void extractsMetricNames(String query, String expected) {
        Set<String> names = metricNames(List.of(query));

        assertThat(String.join(" ", names)).isEqualTo(expected);
    }

    private static JsonNode dashboard() throws IOException {
        assertThat(DASHBOARD).as("the chart's dashboard, relative to controller/").exists();
        return new ObjectMapper().readTree(Files.readString(DASHBOARD));
    }

    /** PromQL of every panel target (rows included) and every template variable's query. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        collectTargets(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isTextual() ? query.asText() : query.path("query").asText());
            }
        }
        return queries;
    }

    private static void collectTargets(JsonNode panels, List<String> queries) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
            collectTargets(panel.path("panels"), queries);
        }
    }

    /** Metric names in PromQL: what is left once strings, matchers, ranges, grouping, variables and calls are set aside. */
    static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher labelValues = LABEL_VALUES.matcher(query);
            if (labelValues.find()) {
                names.add(labelValues.group(1));
                continue;
            }
            if (query.strip().startsWith("label_values(")) {
                continue;
            }
            String expr = STRING.matcher(query).replaceAll(" ");
            expr = MATCHERS.matcher(expr).replaceAll(" ");
            expr = RANGE.matcher(expr).replaceAll(" ");
            expr = GROUPING.matcher(expr).replaceAll(" ");
            expr = VARIABLE.matcher(expr).replaceAll(" ");
            Matcher id = IDENTIFIER.matcher(expr);
            while (id.find()) {
                String word = id.group();
                boolean call = expr.substring(id.end()).stripLeading().startsWith("(");
                if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                    names.add(word);
                }
            }
        }
        return names;
    }

    /** The agent's registry after one of everything it records: a host, a domain, phases, a reconcile, boots, a forced shutdown, a restart. */
    private static String populatedScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DomainMetrics metrics = new DomainMetrics(registry, "n1");
        metrics.recordHost(new HostInfo(4, 8L << 30, 6L << 30, 42_000_000_000L));
        metrics.recordDomains(List.of(new DomainMetrics.DomainSample("default", "vyos",
                new DomainInfo(3, "vyos", UUID.randomUUID(), DomainState.RUNNING, 1_500_000_000L, 2, 512L << 20, 1024L << 20, true))));
        metrics.recordPhases(Map.of("default/vyos", "Running"));
        metrics.reconciled(metrics.startReconcile(), "CreatePaused", "success");
        metrics.bootAttempted();
        metrics.bootFailed();
        metrics.shutdownForced();
        metrics.statusWritten();
        metrics.domainRestarted("default/vyos");
        // The cluster controller's meters: its panels query them, its process exports them.
        ControllerMetrics controller = new ControllerMetrics(registry, () -> true);
        controller.placed();
        controller.unplaced(List.of("insufficient_memory"));
        controller.admission(true);
        controller.admission(false);
        return registry.scrape();
    }

    /** Sample names of the exposition, plus the _bucket/_sum/_count series every histogram declares. */
    static Set<String> exportedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[3].equals("histogram")) {
                    names.addAll(List.of(parts[2] + "_bucket", parts[2] + "_sum", parts[2] + "_count"));
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }
}
