package io.domainoperator.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.domainoperator.e2e.harness.chart.ChartFiles;
import io.domainoperator.e2e.harness.chart.Helm;
import io.domainoperator.e2e.harness.chart.HelmExtension;
import io.domainoperator.e2e.harness.chart.RenderedChart;

/**
 * The chart's RBAC as the real helm renders it: least privilege for each component, nothing deletes, no
 * wildcards, each role bound to its own service account in the release namespace.
 */
@ExtendWith(HelmExtension.class)
class ChartRbacRenderIT {

    private static final String AGENT = "domain-operator-agent";
    private static final String CONTROLLER = "domain-operator-controller";
    private static final Set<String> DESTRUCTIVE = Set.of("delete", "deletecollection", "*");

    private static RenderedChart chart;

    @BeforeAll
    static void render(Helm helm) {
        chart = helm.render();
    }

    @Test
    void agentMayPatchDomainConfigStatusButNeverDeleteDomainConfigs() {
        for (JsonNode role : List.of(chart.get("ClusterRole", AGENT), chart.get("Role", AGENT))) {
            assertThat(RenderedChart.verbs(role, "domainoperator.io", "domainconfigs"))
                    .as("%s %s on domainconfigs", role.path("kind").asText(), AGENT)
                    .doesNotContainAnyElementsOf(DESTRUCTIVE).doesNotContain("create");
        }
        JsonNode cluster = chart.get("ClusterRole", AGENT);
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs"))
                .as("finalizers are patched on the main resource").contains("get", "list", "watch", "patch");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs/status")).contains("patch");
    }

    @Test
    void agentPublishesAdaptersAndWritesTheirStatusWithoutDeleting() {
        JsonNode cluster = chart.get("ClusterRole", AGENT);

        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "physicalioadapters"))
                .contains("get", "list", "watch", "create", "patch", "update").doesNotContainAnyElementsOf(DESTRUCTIVE);
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "physicalioadapters/status")).contains("patch", "update");
        assertThat(RenderedChart.verbs(cluster, "", "events")).containsExactlyInAnyOrder("create", "patch");
    }

    @Test
    void agentReadsConfigMapsAndWritesLeasesOnlyInTheReleaseNamespace() {
        JsonNode cluster = chart.get("ClusterRole", AGENT);
        JsonNode role = chart.get("Role", AGENT);

        assertThat(RenderedChart.verbs(cluster, "", "configmaps")).isEmpty();
        assertThat(RenderedChart.verbs(cluster, "coordination.k8s.io", "leases")).isEmpty();
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(ChartFiles.NAMESPACE);
        assertThat(RenderedChart.verbs(role, "", "configmaps")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(RenderedChart.verbs(role, "coordination.k8s.io", "leases")).containsExactlyInAnyOrder("get", "create", "patch", "update");
    }

    @Test
    void noRoleOfTheChartDeletesAnythingOrUsesWildcards() {
        for (JsonNode role : concat(chart.ofKind("ClusterRole"), chart.ofKind("Role"))) {
            String name = role.path("kind").asText() + " " + role.at("/metadata/name").asText();
            assertThat(RenderedChart.allVerbs(role)).as(name).doesNotContainAnyElementsOf(DESTRUCTIVE);
            for (JsonNode rule : role.path("rules")) {
                assertThat(texts(rule.path("apiGroups"))).as(name + " apiGroups").doesNotContain("*");
                assertThat(texts(rule.path("resources"))).as(name + " resources").doesNotContain("*");
            }
        }
    }

    @Test
    void controllerPlacesAndReportsButOnlyReadsAdapters() {
        JsonNode cluster = chart.get("ClusterRole", CONTROLLER);
        JsonNode role = chart.get("Role", CONTROLLER);

        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs")).contains("watch", "patch").doesNotContain("create");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs/status")).contains("patch");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "physicalioadapters")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "physicalioadapters/status")).isEmpty();
        assertThat(RenderedChart.verbs(role, "coordination.k8s.io", "leases"))
                .as("leader election and node heartbeats").containsExactlyInAnyOrder("get", "list", "watch", "create", "patch", "update");
        // Issue 16, a node gone for good: its Node objects read (taints, deletion), the Node uid recorded on its
        // heartbeat Lease (patch, above), its release written through the status subresource (update), and the
        // finalizer of a deletion it cannot complete removed (patch); still no delete.
        assertThat(RenderedChart.verbs(cluster, "", "nodes")).contains("get", "list").doesNotContain("update", "patch", "delete");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs/status")).contains("update");
        assertThat(RenderedChart.verbs(cluster, "domainoperator.io", "domainconfigs")).contains("patch").doesNotContain("delete");
    }

    @Test
    void everyRoleIsBoundToItsOwnServiceAccountInTheReleaseNamespace() {
        for (String component : List.of(AGENT, CONTROLLER)) {
            assertThat(chart.has("ServiceAccount", component)).as("ServiceAccount " + component).isTrue();
            for (String[] pair : new String[][] {{"ClusterRoleBinding", "ClusterRole"}, {"RoleBinding", "Role"}}) {
                JsonNode binding = chart.get(pair[0], component);
                assertThat(binding.at("/roleRef/kind").asText()).isEqualTo(pair[1]);
                assertThat(binding.at("/roleRef/name").asText()).isEqualTo(component);
                assertThat(binding.path("subjects")).singleElement().satisfies(subject -> {
                    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
                    assertThat(subject.path("name").asText()).isEqualTo(component);
                    assertThat(subject.path("namespace").asText()).isEqualTo(ChartFiles.NAMESPACE);
                });
            }
        }
        assertThat(chart.get("DaemonSet", AGENT).at("/spec/template/spec/serviceAccountName").asText()).isEqualTo(AGENT);
        assertThat(chart.get("Deployment", CONTROLLER).at("/spec/template/spec/serviceAccountName").asText()).isEqualTo(CONTROLLER);
    }


    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
