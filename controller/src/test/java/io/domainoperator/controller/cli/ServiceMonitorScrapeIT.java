package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.controller.metrics.ControllerMetrics;
import io.domainoperator.controller.metrics.MeterRegistries;
import io.domainoperator.controller.metrics.MetricsServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboard against a real Prometheus (Debian's package, .ci/setup.d/50-prometheus.sh) scraping a real
 * agent process (standalone, simulator) the way the chart's ServiceMonitor is scraped under the Prometheus
 * Operator: the scrape job is the one the Operator generates for it (honor_labels false, the relabelling that adds
 * namespace, service, pod, container, job and endpoint), with the Kubernetes service discovery's meta labels given
 * as a static target. Two domains named {@code web} live in namespaces team-a and team-b: every panel query and
 * template variable of the dashboard returns data, and every per-domain result tells the two apart, while
 * {@code namespace} is the agent pod's, as kube-prometheus-stack users expect. The cluster controller's panels
 * are fed by a second target of the same job: the controller's own meters ({@link ControllerMetrics}, driven as a
 * leading replica's would be) on its {@link MetricsServer}, in this JVM, since a controller process needs an API
 * server.
 */
// Among the longest classes without guests: first of the worker that starts from the end (see the failsafe configuration).
@Order(Order.DEFAULT + 3)
class ServiceMonitorScrapeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DASHBOARD = CliProcess.ROOT.resolve("helm/domain-operator/dashboards/domain-operator.json");
    private static final Path SERVICE_MONITOR = CliProcess.ROOT.resolve("helm/domain-operator/templates/servicemonitor.yaml");
    private static final String POD_NAMESPACE = "domain-operator";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((\\w+),\\s*(\\w+)\\)$");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void everyDashboardQueryReturnsTheRightSeriesUnderTheOperatorsScrape() throws Exception {
        Optional<Path> prometheus = locate();
        assumeTrue(prometheus.isPresent(), "the prometheus server is absent: .ci/setup.d/50-prometheus.sh unpacks it"
            + " from Debian's prometheus package into $DOMAIN_OPERATOR_CACHE/prometheus/bin");
        String monitor = Files.readString(SERVICE_MONITOR);
        assertThat(monitor).as("the job below is generated from this endpoint").contains("- port: metrics")
            .contains("path: /metrics").doesNotContain("honorLabels");

        Path manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("web-a.yaml"), domain("team-a", "web-a"));
        Files.writeString(manifests.resolve("web-b.yaml"), domain("team-b", "web-b"));
        int agentPort = freePort();
        int promPort = freePort();
        CliProcess agent = CliProcess.jar(tmp, Map.of("DOMAIN_OPERATOR_LOG_LEVEL", "INFO"), tmp.resolve("logs"),
            "standalone", "--manifests", "manifests", "--hypervisor", "sim", "--metrics-address", "127.0.0.1",
            "--metrics-port", Integer.toString(agentPort), "--poll-interval", "1s");
        var controllerRegistry = MeterRegistries.prometheus();
        ControllerMetrics controller = new ControllerMetrics(controllerRegistry, () -> true);
        controller.placed();
        controller.unplaced(List.of("insufficient_memory"));
        controller.admission(true);
        controller.admission(false);
        MetricsServer controllerServer = new MetricsServer("127.0.0.1", 0, controllerRegistry,
            () -> new MetricsServer.Readiness(true, "ok\n"));
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, operatorScrapeConfig(agentPort, controllerServer.port()));
        Process server = new ProcessBuilder(prometheus.get().toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
            .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + promPort + "/api/v1/";
        try {
            await("both domains scraped, with their namespaces apart").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(agent.alive()).as("agent still running; stderr:\n%s", agent.stderr()).isTrue();
                    assertThat(server.isAlive()).as("prometheus still running; log:\n%s",
                        Files.readString(tmp.resolve("prometheus.log"))).isTrue();
                    assertThat(domains(query(api, "domainoperator_domain_vcpus"))).containsExactly("team-a/web", "team-b/web");
                    assertThat(query(api, "domainoperator_domain_phase{phase=\"Running\"} == 1")).hasSize(2);
                });
            // Without domain_namespace the Operator's scrape leaves one namespace for both: what the dashboard avoids.
            JsonNode merged = query(api, "count by (namespace, name) (domainoperator_domain_vcpus)");
            assertThat(merged).singleElement().satisfies(r -> {
                assertThat(r.at("/metric/namespace").asText()).isEqualTo(POD_NAMESPACE);
                assertThat(r.at("/value/1").asText()).isEqualTo("2");
            });

            for (String q : panelQueries()) {
                String promql = q.replace("$__rate_interval", "20s").replaceAll("\\$\\{?\\w+}?", ".*");
                // First look at once: by now most panels have data, and Awaitility would wait a poll interval before
                // the first look (23 panels, 23 s).
                await("data for " + q).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(query(api, promql)).as(promql).isNotEmpty());
                JsonNode result = query(api, promql);
                if (perDomain(result)) {
                    assertThat(domains(result)).as("per-domain series of %s", promql)
                        .containsExactly("team-a/web", "team-b/web");
                }
                for (JsonNode r : result) {
                    if (r.path("metric").has("namespace")) {
                        assertThat(r.at("/metric/namespace").asText()).as("namespace of %s", promql).isEqualTo(POD_NAMESPACE);
                    }
                    assertThat(r.path("metric").has("exported_namespace")).as("%s: no clash", promql).isFalse();
                }
            }
            for (JsonNode variable : JSON.readTree(DASHBOARD.toFile()).at("/templating/list")) {
                if (!"query".equals(variable.path("type").asText())) {
                    continue;
                }
                Matcher m = LABEL_VALUES.matcher(variable.at("/query/query").asText());
                assertThat(m.matches()).as("variable %s", variable.path("name").asText()).isTrue();
                Set<String> values = labelValues(api, m.group(1), m.group(2));
                assertThat(values).as("values of $%s", variable.path("name").asText())
                    .isEqualTo("namespace".equals(variable.path("name").asText()) ? Set.of("team-a", "team-b")
                        : Set.of("standalone"));
            }
        } finally {
            controllerServer.close();
            server.destroy();
            server.waitFor();
            agent.terminate(120);
        }
    }

    /**
     * What the Prometheus Operator generates for the chart's ServiceMonitor endpoint (port metrics, path /metrics,
     * honorLabels unset), its role=endpoints service discovery replaced by a static target carrying the meta labels
     * that discovery would attach to the agent pod's endpoint. Interval 1 s instead of the chart's 30 s: labels do
     * not depend on it.
     */
    private static String operatorScrapeConfig(int agentPort, int controllerPort) {
        return """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
            - job_name: serviceMonitor/domain-operator/domain-operator/0
              honor_labels: false
              honor_timestamps: true
              metrics_path: /metrics
              scheme: http
              static_configs:
              - targets: ["127.0.0.1:%1$d"]
                labels:
                  __meta_kubernetes_namespace: %3$s
                  __meta_kubernetes_service_name: domain-operator-agent-metrics
                  __meta_kubernetes_service_label_app_kubernetes_io_instance: domain-operator
                  __meta_kubernetes_service_labelpresent_app_kubernetes_io_instance: "true"
                  __meta_kubernetes_service_label_domainoperator_io_metrics: "true"
                  __meta_kubernetes_service_labelpresent_domainoperator_io_metrics: "true"
                  __meta_kubernetes_endpoint_port_name: metrics
                  __meta_kubernetes_endpoint_address_target_kind: Pod
                  __meta_kubernetes_endpoint_address_target_name: domain-operator-agent-x7k2p
                  __meta_kubernetes_pod_name: domain-operator-agent-x7k2p
                  __meta_kubernetes_pod_container_name: agent
                  __meta_kubernetes_pod_phase: Running
              - targets: ["127.0.0.1:%2$d"]
                labels:
                  __meta_kubernetes_namespace: %3$s
                  __meta_kubernetes_service_name: domain-operator-controller-metrics
                  __meta_kubernetes_service_label_app_kubernetes_io_instance: domain-operator
                  __meta_kubernetes_service_labelpresent_app_kubernetes_io_instance: "true"
                  __meta_kubernetes_service_label_domainoperator_io_metrics: "true"
                  __meta_kubernetes_service_labelpresent_domainoperator_io_metrics: "true"
                  __meta_kubernetes_endpoint_port_name: metrics
                  __meta_kubernetes_endpoint_address_target_kind: Pod
                  __meta_kubernetes_endpoint_address_target_name: domain-operator-controller-5d9f7-abcde
                  __meta_kubernetes_pod_name: domain-operator-controller-5d9f7-abcde
                  __meta_kubernetes_pod_container_name: controller
                  __meta_kubernetes_pod_phase: Running
              relabel_configs:
              - {source_labels: [job], target_label: __tmp_prometheus_job_name}
              - action: keep
                source_labels: [__meta_kubernetes_service_label_app_kubernetes_io_instance, __meta_kubernetes_service_labelpresent_app_kubernetes_io_instance]
                regex: (domain-operator);true
              - action: keep
                source_labels: [__meta_kubernetes_service_label_domainoperator_io_metrics, __meta_kubernetes_service_labelpresent_domainoperator_io_metrics]
                regex: (true);true
              - {action: keep, source_labels: [__meta_kubernetes_endpoint_port_name], regex: metrics}
              - source_labels: [__meta_kubernetes_endpoint_address_target_kind, __meta_kubernetes_endpoint_address_target_name]
                separator: ;
                regex: Node;(.*)
                replacement: "${1}"
                target_label: node
              - source_labels: [__meta_kubernetes_endpoint_address_target_kind, __meta_kubernetes_endpoint_address_target_name]
                separator: ;
                regex: Pod;(.*)
                replacement: "${1}"
                target_label: pod
              - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
              - {source_labels: [__meta_kubernetes_service_name], target_label: service}
              - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
              - {source_labels: [__meta_kubernetes_pod_container_name], target_label: container}
              - {action: drop, source_labels: [__meta_kubernetes_pod_phase], regex: (Failed|Succeeded)}
              - {source_labels: [__meta_kubernetes_service_name], target_label: job, replacement: "${1}"}
              - {target_label: endpoint, replacement: metrics}
              - {source_labels: [__address__], target_label: __tmp_hash, modulus: 1, action: hashmod}
              - {source_labels: [__tmp_hash], regex: 0, action: keep}
            """.formatted(agentPort, controllerPort, POD_NAMESPACE);
    }

    private static String domain(String namespace, String displayName) {
        return """
            apiVersion: domainoperator.io/v1alpha1
            kind: DomainConfig
            metadata: {name: web, namespace: %s}
            spec:
              displayName: %s
              virtualizationMode: HVM
              vcpus: 1
              memoryMiB: 64
            """.formatted(namespace, displayName);
    }

    /** A result about domains: it has a name label, or it is one of the domain metrics. */
    private static boolean perDomain(JsonNode result) {
        for (JsonNode r : result) {
            if (r.path("metric").has("name") || r.path("metric").has("domain_namespace")) {
                return true;
            }
        }
        return false;
    }

    /** "domain_namespace/name" of each result, sorted; a result with a name and no domain_namespace shows as "?/name". */
    private static List<String> domains(JsonNode result) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : result) {
            JsonNode m = r.path("metric");
            out.add(m.path("domain_namespace").asText("?") + "/" + m.path("name").asText("?"));
        }
        out.sort(null);
        return out;
    }

    private JsonNode query(String api, String promql) throws IOException, InterruptedException {
        JsonNode body = get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(body.path("status").asText()).as("%s: %s", promql, body).isEqualTo("success");
        return body.at("/data/result");
    }

    private Set<String> labelValues(String api, String metric, String label) throws IOException, InterruptedException {
        JsonNode body = get(api + "series?match[]=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        Set<String> values = new TreeSet<>();
        body.path("data").forEach(s -> {
            if (s.has(label)) {
                values.add(s.path(label).asText());
            }
        });
        return values;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static List<String> panelQueries() throws IOException {
        List<String> out = new ArrayList<>();
        collect(JSON.readTree(DASHBOARD.toFile()).path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> out.add(t.path("expr").asText()));
            collect(p.path("panels"), out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Optional<Path> locate() {
        String cache = System.getenv().getOrDefault("DOMAIN_OPERATOR_CACHE",
            System.getProperty("user.home") + "/.cache/domain-operator");
        return Optional.of(Path.of(cache, "prometheus/bin/prometheus")).filter(Files::isExecutable)
            .or(() -> Optional.of(Path.of("/usr/bin/prometheus")).filter(Files::isExecutable));
    }
}
