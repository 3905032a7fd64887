package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Domains;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;

/**
 * What the real API server does with JSON patches whose path lies below a field the object does not have,
 * which fabric8's mock server lets through: the whole patch is refused (422 Invalid, "the server rejected our
 * request due to an error in our request"), while adding the absent field whole is accepted. A DomainConfig
 * applied by a user has neither {@code status} nor {@code metadata.labels}; the cluster controller's first
 * status write and its node label must take the accepted form (PlacementE2E and OperatorRbacE2E fail when
 * they do not).
 */
@KubeApiServer
class JsonPatchPathsE2E {

    private static String namespace;
    private static Domains domains;

    @BeforeAll
    static void setUp(KubeCluster cluster) {
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-status");
        domains = new Domains(cluster.kubectl(), namespace);
    }

    @AfterAll
    static void tearDown(KubeCluster cluster) {
        cluster.deleteNamespace(namespace);
    }

    @Test
    void aPathBelowAnAbsentStatusIsRefusedAndTheWholeStatusIsAccepted(Kubectl kubectl) {
        domains.apply(Domains.simulated("fresh", null));
        assertThat(domains.get("fresh", "{.status}")).as("a new DomainConfig has no status").isEmpty();

        var below = kubectl.run("patch", "dom", "fresh", "-n", namespace, "--subresource=status", "--type=json",
                "-p", "[{\"op\": \"add\", \"path\": \"/status/conditions\", \"value\": []}]");
        assertThat(below.exitCode()).as(below.describe()).isNotZero();
        assertThat(below.stderr()).contains("the server rejected our request");

        kubectl.ok("patch", "dom", "fresh", "-n", namespace, "--subresource=status", "--type=json",
                "-p", "[{\"op\": \"add\", \"path\": \"/status\", \"value\": {\"phase\": \"Pending\", \"conditions\": []}}]");
        assertThat(domains.phase("fresh")).isEqualTo("Pending");
    }

    @Test
    void aLabelBelowAbsentLabelsIsRefusedAndTheWholeLabelMapIsAccepted(Kubectl kubectl) {
        domains.apply(Domains.simulated("unlabelled", null));
        assertThat(domains.get("unlabelled", "{.metadata.labels}")).as("applied without labels").isEmpty();

        var below = kubectl.run("patch", "dom", "unlabelled", "-n", namespace, "--type=json", "-p",
                "[{\"op\": \"add\", \"path\": \"/metadata/labels/domainoperator.io~1node\", \"value\": \"node-a\"}]");
        assertThat(below.exitCode()).as(below.describe()).isNotZero();
        assertThat(below.stderr()).contains("the server rejected our request");

        kubectl.ok("patch", "dom", "unlabelled", "-n", namespace, "--type=json", "-p",
                "[{\"op\": \"add\", \"path\": \"/metadata/labels\", \"value\": {\"domainoperator.io/node\": \"node-a\"}}]");
        assertThat(domains.get("unlabelled", "{.metadata.labels.domainoperator\\.io/node}")).isEqualTo("node-a");
    }
}
