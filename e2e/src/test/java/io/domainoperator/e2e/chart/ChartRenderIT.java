package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainoperator.controller.agent.AgentConfig;
import io.domainoperator.controller.agent.GlobalKnobs;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.domainoperator.e2e.harness.chart.ChartFiles;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;
import io.domainoperator.e2e.harness.chart.RenderedChart;

/**
 * Renders the chart with the real helm and reads the objects back (its RBAC: {@link ChartRbacRenderIT}): the agent's
 * privileges and host paths, its downward-API node name, probes, resources and grace period, the
 * controller's replicas, the knobs ConfigMap (parsed by the agent's own {@link GlobalKnobs}), the
 * dashboard ConfigMap and the metrics Services.
 */
@ExtendWith(HelmExtension.class)
class ChartRenderIT {

    private static final String AGENT = "domain-operator-agent";
    private static final String CONTROLLER = "domain-operator-controller";

    private static RenderedChart chart;

    @BeforeAll
    static void render(Helm helm) {
        chart = helm.render();
    }

    @Test
    void agentIsPrivilegedWithTheHostDirectoriesItDrivesTheHypervisorThrough() {
        JsonNode pod = chart.get("DaemonSet", AGENT).at("/spec/template/spec");
        JsonNode agent = container(pod, "agent");

        assertThat(agent.at("/securityContext/privileged").asBoolean()).isTrue();
        Map<String, String> hostPathByVolume = hostPaths(pod);
        assertThat(hostPathByVolume.values()).contains("/sys", "/dev", "/run/domainmgr", "/persist/img",
                "/var/lib/domain-operator", "/lib/modules", "/run/xen", "/var/lib/xen");
        Map<String, String> mountByVolume = mounts(agent);
        assertThat(mountByVolume).as("every host directory is mounted").containsKeys(hostPathByVolume.keySet().toArray(String[]::new));
        // The agent is told where each one is mounted.
        assertThat(mountByVolume).containsValues("/dev", "/host/sys", "/run/domainmgr", "/persist/img", "/var/lib/domain-operator");
        assertThat(texts(agent.path("args"))).startsWith("agent")
                .contains("--sysfs-root=/host/sys", "--run-dir=/run/domainmgr", "--image-root=/persist/img",
                        "--state-dir=/var/lib/domain-operator", "--lease-namespace=" + ChartFiles.NAMESPACE);
    }

    /**
     * The default (backend auto-detected) starts on QEMU-only and Xen nodes alike: nothing under /proc (a runtime
     * would try to create a missing hostPath there and fail) and no host directory whose absence fails the pod.
     * A Xen node declared as such gets xenfs and Xen's directories; a QEMU node none of Xen's.
     */
    @Test
    void agentStartsOnEveryKindOfNodeAndXenNodesKeepWhatXlNeeds(Helm helm) {
        for (RenderedChart rendered : List.of(chart, helm.render("--set", "agent.hypervisor=qemu"))) {
            JsonNode pod = rendered.get("DaemonSet", AGENT).at("/spec/template/spec");
            assertThat(hostPaths(pod).values()).as("no hostPath under /proc").noneMatch(path -> path.startsWith("/proc"));
            pod.path("volumes").forEach(v -> {
                if (v.has("hostPath")) {
                    String path = v.at("/hostPath/path").asText();
                    String type = v.at("/hostPath/type").asText();
                    // Every Linux node has /dev and /sys; any other directory may be missing on some node.
                    List<String> tolerated = path.equals("/dev") || path.equals("/sys")
                            ? List.of("Directory") : List.of("", "DirectoryOrCreate");
                    assertThat(type).as("type of hostPath " + path).isIn(tolerated.toArray());
                }
            });
        }
        JsonNode qemu = helm.render("--set", "agent.hypervisor=qemu").get("DaemonSet", AGENT).at("/spec/template/spec");
        assertThat(hostPaths(qemu).values()).noneMatch(path -> path.contains("xen"));

        JsonNode xen = helm.render("--set", "agent.hypervisor=xl").get("DaemonSet", AGENT).at("/spec/template/spec");
        assertThat(hostPaths(xen)).containsValues("/proc/xen", "/run/xen", "/run/xenstored", "/var/lib/xen", "/var/log/xen");
        assertThat(mounts(container(xen, "agent"))).containsValues("/proc/xen", "/run/xen", "/run/xenstored", "/var/lib/xen",
                "/var/log/xen");
        assertThat(texts(container(xen, "agent").path("args"))).contains("--hypervisor=xl");
    }

    /**
     * Guests outlive the agent pod by default: no halt on SIGTERM, and the host PID namespace (a QEMU in the pod's
     * own PID namespace dies with the agent, its init).
     */
    @Test
    void anAgentRestartHaltsNothingByDefault() {
        JsonNode pod = chart.get("DaemonSet", AGENT).at("/spec/template/spec");

        assertThat(texts(container(pod, "agent").path("args"))).doesNotContain("--halt-on-exit");
        assertThat(pod.path("hostPID").asBoolean()).isTrue();
    }

    private static Map<String, String> hostPaths(JsonNode pod) {
        Map<String, String> hostPathByVolume = new LinkedHashMap<>();
        pod.path("volumes").forEach(v -> {
            if (v.has("hostPath")) {
                hostPathByVolume.put(v.path("name").asText(), v.at("/hostPath/path").asText());
            }
        });
        return hostPathByVolume;
    }

    private static Map<String, String> mounts(JsonNode container) {
        Map<String, String> mountByVolume = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(m -> mountByVolume.put(m.path("name").asText(), m.path("mountPath").asText()));
        return mountByVolume;
    }

    @Test
    void agentRunsOnHypervisorNodesOnly() {
        JsonNode pod = chart.get("DaemonSet", AGENT).at("/spec/template/spec");

        assertThat(pod.at("/nodeSelector/domainoperator.io~1hypervisor").asText()).isEqualTo("true");
        assertThat(pod.path("tolerations")).anySatisfy(t -> assertThat(t.path("key").asText()).isEqualTo("domainoperator.io/hypervisor"));
    }

    @Test
    void agentKnowsItsNodeFromTheDownwardApi() {
        JsonNode agent = container(chart.get("DaemonSet", AGENT).at("/spec/template/spec"), "agent");

        assertThat(agent.path("env")).anySatisfy(env -> {
            assertThat(env.path("name").asText()).isEqualTo("NODE_NAME");
            assertThat(env.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
        });
    }

    /**
     * Liveness on /healthz for both. Readiness on /readyz for the agent (its loop runs); on /healthz for the
     * controller, whose /readyz is false on a standby: a never-Ready standby would stall rolling updates.
     */
    @Test
    void bothComponentsAreProbedOnTheirMetricsPortAndHaveResources() {
        for (var entry : Map.of("/readyz", chart.get("DaemonSet", AGENT), "/healthz", chart.get("Deployment", CONTROLLER)).entrySet()) {
            JsonNode workload = entry.getValue();
            JsonNode container = workload.at("/spec/template/spec/containers/0");
            String name = workload.path("kind").asText();
            String portName = container.at("/ports/0/name").asText();

            assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/healthz");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo(entry.getKey());
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).as(name).isEqualTo(portName);
            assertThat(container.at("/readinessProbe/httpGet/port").asText()).as(name).isEqualTo(portName);
            assertThat(texts(container.path("args"))).as(name)
                    .contains("--metrics-port=" + container.at("/ports/0/containerPort").asInt());
            assertThat(container.at("/resources/requests/cpu").asText()).as(name + " cpu request").isNotEmpty();
            assertThat(container.at("/resources/requests/memory").asText()).as(name + " memory request").isNotEmpty();
            assertThat(container.at("/resources/limits/memory").asText()).as(name + " memory limit").isNotEmpty();
        }
    }

    @Test
    void agentOutlivesItsHaltDeadline(Helm helm) {
        for (RenderedChart rendered : List.of(helm.render("--set", "agent.haltOnExit=true"),
                helm.render("--set", "agent.haltOnExit=true", "--set", "agent.haltDeadlineSeconds=900"))) {
            JsonNode pod = rendered.get("DaemonSet", AGENT).at("/spec/template/spec");
            Duration halt = texts(container(pod, "agent").path("args")).stream()
                    .filter(a -> a.startsWith("--halt-deadline="))
                    .map(a -> Duration.ofSeconds(Long.parseLong(a.substring("--halt-deadline=".length()).replace("s", ""))))
                    .findFirst().orElseThrow(() -> new AssertionError("no --halt-deadline flag"));

            assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong())).isGreaterThan(halt);
            assertThat(texts(container(pod, "agent").path("args"))).contains("--halt-on-exit");
        }
    }

    @Test
    void agentGetsTheConsoleLogCapWithTheAgentsOwnDefault(Helm helm) {
        assertThat(agentArgs(chart)).contains("--console-log-max-bytes=" + AgentConfig.DEFAULT_CONSOLE_LOG_MAX_BYTES);
        // a value helm would print as 1.6777216e+07 if the template did not render it as an integer
        assertThat(agentArgs(helm.render("--set", "agent.consoleLogMaxBytes=16777216")))
                .contains("--console-log-max-bytes=16777216")
                .filteredOn(a -> a.startsWith("--console-log-max-bytes=")).hasSize(1);
    }

    private static List<String> agentArgs(RenderedChart rendered) {
        return texts(container(rendered.get("DaemonSet", AGENT).at("/spec/template/spec"), "agent").path("args"));
    }

    @Test
    void controllerRunsTwoReplicasUnprivileged() {
        JsonNode deployment = chart.get("Deployment", CONTROLLER);
        JsonNode controller = container(deployment.at("/spec/template/spec"), "controller");

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(texts(controller.path("args"))).startsWith("controller").contains("--namespace=" + ChartFiles.NAMESPACE);
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(controller.at("/securityContext/privileged").asBoolean(false)).isFalse();
        assertThat(controller.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(chart.get("PodDisruptionBudget", CONTROLLER).at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void knobValuesReachTheConfigMapTheAgentWatchesInTheFormItParses(Helm helm) {
        RenderedChart tuned = helm.render("--set", "knobs.bootRetrySeconds=120", "--set", "knobs.shutdownTimeoutSeconds=30",
                "--set", "knobs.pollIntervalSeconds=2", "--set", "knobs.debugEnableUsb=true");
        JsonNode configMap = tuned.get("ConfigMap", "domain-operator-knobs");
        Map<String, String> data = new LinkedHashMap<>();
        configMap.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));

        assertThat(data).containsExactlyInAnyOrderEntriesOf(Map.of(GlobalKnobs.BOOT_RETRY, "120",
                GlobalKnobs.SHUTDOWN_TIMEOUT, "30", GlobalKnobs.POLL_INTERVAL, "2", GlobalKnobs.DEBUG_ENABLE_USB, "true"));
        assertThat(GlobalKnobs.defaults().with(data))
                .isEqualTo(new GlobalKnobs(Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(2), true));
        assertThat(texts(container(tuned.get("DaemonSet", AGENT).at("/spec/template/spec"), "agent").path("args")))
                .contains("--knobs-configmap=" + ChartFiles.NAMESPACE + "/domain-operator-knobs");
    }

    @Test
    void defaultKnobsAreTheAgentsOwnDefaults() {
        Map<String, String> data = new LinkedHashMap<>();
        chart.get("ConfigMap", "domain-operator-knobs").path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));

        assertThat(GlobalKnobs.defaults().with(data)).isEqualTo(GlobalKnobs.defaults());
    }

    @Test
    void dashboardShipsAsAConfigMapGrafanasSidecarLoads() throws Exception {
        JsonNode configMap = chart.get("ConfigMap", "domain-operator-dashboard");
        ObjectMapper json = new ObjectMapper();

        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(json.readTree(configMap.at("/data/domain-operator.json").asText()))
                .isEqualTo(json.readTree(Files.readString(ChartFiles.dashboard())));
    }

    @Test
    void metricsServicesSelectTheirPodsAndTheServiceMonitorIsOptional(Helm helm) {
        for (var pair : List.of(List.of("DaemonSet", AGENT), List.of("Deployment", CONTROLLER))) {
            JsonNode service = chart.get("Service", pair.get(1) + "-metrics");
            JsonNode podLabels = chart.get(pair.get(0), pair.get(1)).at("/spec/template/metadata/labels");
            service.path("spec").path("selector").properties().forEach(e ->
                    assertThat(podLabels.path(e.getKey()).asText()).as("pod label " + e.getKey()).isEqualTo(e.getValue().asText()));
            assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("metrics");
        }
        assertThat(chart.ofKind("ServiceMonitor")).isEmpty();

        JsonNode monitor = helm.render("--set", "metrics.serviceMonitor.enabled=true").get("ServiceMonitor", "domain-operator");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        for (String service : List.of(AGENT + "-metrics", CONTROLLER + "-metrics")) {
            JsonNode labels = chart.get("Service", service).at("/metadata/labels");
            monitor.at("/spec/selector/matchLabels").properties().forEach(e ->
                    assertThat(labels.path(e.getKey()).asText()).as(service + " label " + e.getKey()).isEqualTo(e.getValue().asText()));
        }
    }

    @Test
    void ownNodeAdmissionPolicyIsOptionalAndMatchesOnlyTheAgent(Helm helm) {
        assertThat(chart.ofKind("ValidatingAdmissionPolicy")).isEmpty();

        RenderedChart restricted = helm.render("--set", "agent.restrictAdaptersToOwnNode=true");
        JsonNode policy = restricted.get("ValidatingAdmissionPolicy", AGENT + "-own-node-adapters");
        assertThat(policy.at("/spec/matchConditions/0/expression").asText())
                .contains("system:serviceaccount:" + ChartFiles.NAMESPACE + ":" + AGENT);
        assertThat(policy.at("/spec/validations/0/expression").asText()).contains("object.spec.nodeName");
        assertThat(restricted.get("ValidatingAdmissionPolicyBinding", AGENT + "-own-node-adapters").at("/spec/policyName").asText())
                .isEqualTo(policy.at("/metadata/name").asText());
    }

    /**
     * The admission webhook: CREATE and UPDATE of DomainConfigs only (a controller outage never blocks a
     * delete), failurePolicy Ignore by default, no caBundle in the manifest (the controller writes it, and helm
     * upgrades leave a field they never set alone), and a Service that reaches the controller pods on the port
     * the controller is told to serve, with that Service's names in the certificate's host list.
     */
    @Test
    void webhookChecksCreatesAndUpdatesOfDomainConfigsThroughTheControllersService() {
        JsonNode webhook = chart.get("ValidatingWebhookConfiguration", "domain-operator-domainconfigs").path("webhooks").get(0);
        JsonNode service = chart.get("Service", CONTROLLER + "-webhook");
        JsonNode deployment = chart.get("Deployment", CONTROLLER);
        JsonNode controller = container(deployment.at("/spec/template/spec"), "controller");

        assertThat(texts(webhook.at("/rules/0/operations"))).containsExactlyInAnyOrder("CREATE", "UPDATE");
        assertThat(texts(webhook.at("/rules/0/resources"))).containsExactly("domainconfigs");
        assertThat(texts(webhook.at("/rules/0/apiGroups"))).containsExactly("domainoperator.io");
        assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
        assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
        assertThat(texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
        assertThat(webhook.at("/clientConfig/caBundle").isMissingNode()).as("the controller owns caBundle").isTrue();
        assertThat(webhook.at("/clientConfig/service/name").asText()).isEqualTo(CONTROLLER + "-webhook");
        assertThat(webhook.at("/clientConfig/service/namespace").asText()).isEqualTo(ChartFiles.NAMESPACE);
        assertThat(webhook.at("/clientConfig/service/path").asText()).isEqualTo("/validate-domainconfig");
        assertThat(webhook.at("/clientConfig/service/port").asInt()).isEqualTo(service.at("/spec/ports/0/port").asInt());

        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        service.at("/spec/selector").properties().forEach(e ->
                assertThat(podLabels.path(e.getKey()).asText()).as("pod label " + e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("webhook");
        JsonNode port = StreamSupport.stream(controller.path("ports").spliterator(), false)
                .filter(p -> p.path("name").asText().equals("webhook")).findFirst().orElseThrow();
        String hostsPrefix = "--webhook-hosts=";
        assertThat(texts(controller.path("args"))).contains("--webhook-port=" + port.path("containerPort").asInt(),
                "--webhook-configuration=domain-operator-domainconfigs", "--webhook-secret=domain-operator-webhook-tls");
        assertThat(texts(controller.path("args")).stream().filter(a -> a.startsWith(hostsPrefix))
                .flatMap(a -> List.of(a.substring(hostsPrefix.length()).split(",")).stream()))
                .contains(CONTROLLER + "-webhook." + ChartFiles.NAMESPACE + ".svc");
    }

    @Test
    void controllerWritesOnlyItsOwnWebhookSecretAndConfiguration() {
        JsonNode role = chart.get("Role", CONTROLLER);
        JsonNode cluster = chart.get("ClusterRole", CONTROLLER);

        assertThat(rules(role, "", "secrets")).anySatisfy(rule -> {
            assertThat(texts(rule.path("verbs"))).containsExactlyInAnyOrder("get", "update");
            assertThat(texts(rule.path("resourceNames"))).containsExactly("domain-operator-webhook-tls");
        });
        assertThat(rules(role, "", "secrets")).allSatisfy(rule -> assertThat(texts(rule.path("verbs")))
                .as("list and watch would read every Secret of the namespace").doesNotContain("list", "watch"));
        assertThat(rules(cluster, "admissionregistration.k8s.io", "validatingwebhookconfigurations")).singleElement().satisfies(rule -> {
            assertThat(texts(rule.path("verbs"))).containsExactlyInAnyOrder("get", "update");
            assertThat(texts(rule.path("resourceNames"))).containsExactly("domain-operator-domainconfigs");
        });
        assertThat(RenderedChart.verbs(cluster, "", "secrets")).as("no Secret outside the release namespace").isEmpty();
    }

    @Test
    void webhookCanBeTurnedOffOrMadeStrict(Helm helm) {
        RenderedChart off = helm.render("--set", "controller.webhook.enabled=false");
        assertThat(off.ofKind("ValidatingWebhookConfiguration")).isEmpty();
        assertThat(off.has("Service", CONTROLLER + "-webhook")).isFalse();
        assertThat(texts(container(off.get("Deployment", CONTROLLER).at("/spec/template/spec"), "controller").path("args")))
                .noneMatch(a -> a.startsWith("--webhook"));
        assertThat(RenderedChart.verbs(off.get("Role", CONTROLLER), "", "secrets")).isEmpty();

        RenderedChart strict = helm.render("--set", "controller.webhook.failurePolicy=Fail");
        assertThat(strict.get("ValidatingWebhookConfiguration", "domain-operator-domainconfigs").at("/webhooks/0/failurePolicy").asText())
                .isEqualTo("Fail");
        assertThat(helm.template("--set", "controller.webhook.failurePolicy=Sometimes").exitCode())
                .as("the values schema allows only Ignore and Fail").isNotZero();
    }

    private static List<JsonNode> rules(JsonNode role, String apiGroup, String resource) {
        return StreamSupport.stream(role.path("rules").spliterator(), false)
                .filter(r -> texts(r.path("apiGroups")).contains(apiGroup) && texts(r.path("resources")).contains(resource))
                .toList();
    }

    private static JsonNode container(JsonNode podSpec, String name) {
        return StreamSupport.stream(podSpec.path("containers").spliterator(), false)
                .filter(c -> name.equals(c.path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + name + " in " + podSpec));
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
