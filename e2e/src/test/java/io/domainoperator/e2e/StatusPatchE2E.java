package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the real API server does with the first JSON patch of a DomainConfig's status, which fabric8's mock
 * server does not check: a new DomainConfig has no {@code status}, so a patch op whose path lies below
 * {@code /status} is refused as a whole (422 Invalid, "the server rejected our request due to an error in our
 * request"), while adding {@code /status} itself is accepted. The cluster controller's first status write
 * must take the second form (see PlacementE2E, which fails when it does not).
 */
@KubeApiServer
class StatusPatchE2E {

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
}
