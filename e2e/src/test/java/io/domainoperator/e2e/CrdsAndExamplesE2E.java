package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.KubectlTable;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * Scenario 1 without the agent: a user installs the CRDs, applies the examples and reads them back with
 * {@code kubectl get} and {@code kubectl explain}. Proves the real API server accepts the generated
 * schema (apiextensions.k8s.io/v1, structural), the printer columns and the field descriptions.
 */
@KubeApiServer
class CrdsAndExamplesE2E {

    private String namespace;

    @BeforeAll
    static void installCrds(Kubectl kubectl) {
        Crds.install(kubectl);
    }

    @BeforeEach
    void createNamespace(KubeCluster cluster) {
        namespace = cluster.createNamespace("e2e-crds");
    }

    @AfterEach
    void deleteNamespace(KubeCluster cluster) {
        cluster.deleteNamespace(namespace);
    }

    @Test
    void crdsAreEstablishedWithTheirShortNames(Kubectl kubectl) {
        var names = kubectl.ok("get", Crds.DOMAIN_CONFIGS, "-o",
                "jsonpath={.status.acceptedNames.shortNames}{\" \"}{.status.conditions[?(@.type==\"NamesAccepted\")].status}");

        assertThat(names.stdout()).contains("dom").endsWith("True");
        assertThat(kubectl.ok("api-resources", "--api-group=domainoperator.io").stdout())
                .contains("domainconfigs", "dom", "DomainConfig")
                .contains("physicalioadapters", "pioa", "PhysicalIOAdapter");
    }

    @Test
    void suiteManifestsApplyAndReadBack(Kubectl kubectl) {
        var applied = kubectl.ok("apply", "-n", namespace, "-f", RepoFiles.testResources("manifests").toString());

        assertThat(applied.stdout())
                .contains("domainconfig.domainoperator.io/router created")
                .contains("domainconfig.domainoperator.io/pv-guest created")
                .contains("physicalioadapter.domainoperator.io/e2e-node-a-eth1");
        var spec = kubectl.ok("get", "dom", "router", "-n", namespace, "-o",
                "jsonpath={.spec.vifs[0].mac} {.spec.disks[0].source} {.spec.vcpus}");
        assertThat(spec.stdout()).isEqualTo("00:16:3e:00:01:01 /persist/img/router.qcow2 2");
    }

    @Test
    void repositoryExamplesApply(Kubectl kubectl) {
        // examples/ arrives with the project's documentation; until then the suite's own manifests stand in.
        Assumptions.assumeTrue(RepoFiles.examples().isPresent(),
                "no examples/ directory in " + RepoFiles.root() + " yet; suiteManifestsApplyAndReadBack covers the manifests");
        Path examples = RepoFiles.examples().orElseThrow();

        // The examples name their namespace (default) themselves, as users copy them; so they are removed
        // afterwards rather than left in an external cluster's default namespace.
        try {
            var applied = kubectl.ok("apply", "-f", examples.toString());

            assertThat(applied.stdout()).contains("domainconfig.domainoperator.io/");
            assertThat(kubectl.ok("get", "dom", "-A").stdout()).contains("NAME");
        } finally {
            kubectl.run("delete", "-f", examples.toString(), "--ignore-not-found", "--wait=false");
        }
    }

    @Test
    void getShowsPrinterColumnsWithStatusValues(Kubectl kubectl) {
        kubectl.ok("apply", "-n", namespace, "-f", RepoFiles.testResources("manifests").resolve("router.yaml").toString());
        // What the agent reports once the router runs; written through the status subresource as the agent does.
        kubectl.ok("patch", "dom", "router", "-n", namespace, "--subresource=status", "--type=merge", "-p", """
                {"status": {"phase": "Running", "node": "e2e-node-a", "domainId": 7,
                  "conditions": [{"type": "Ready", "status": "True", "reason": "Running",
                                  "message": "domain router.1 is running", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}""");

        KubectlTable table = KubectlTable.parse(kubectl.ok("get", "dom", "-n", namespace).stdout());

        assertThat(table.headers()).contains("NAME", "PHASE", "NODE", "VCPUS", "MEMORY", "DOMID", "READY", "AGE");
        assertThat(table.rows()).hasSize(1);
        assertThat(table.row("router"))
                .containsEntry("PHASE", "Running")
                .containsEntry("NODE", "e2e-node-a")
                .containsEntry("VCPUS", "2")
                .containsEntry("MEMORY", "512")
                .containsEntry("DOMID", "7")
                .containsEntry("READY", "True");
    }

    @Test
    void explainPrintsTheFieldDescription(Kubectl kubectl) {
        // The server publishes a new CRD's schema in its OpenAPI document a moment after Established.
        await("kubectl explain prints spec.vcpus").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            var explained = kubectl.ok("explain", "domainconfig.spec.vcpus");

            assertThat(explained.stdout())
                    .contains("KIND:", "DomainConfig")
                    .contains("vcpus")
                    .contains("Number of virtual CPUs (xl's vcpus), 1 to 512.");
        });
    }
}
