package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.LocalKubeCluster;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * The ground scenario 4 stands on: the local API server restarts on the same address and data, so
 * clients keep their kubeconfig and every stored object survives, while their watches close.
 */
@KubeApiServer(scope = KubeApiServer.Scope.CLASS)
class ApiServerRestartE2E {

    @Test
    void objectsSurviveARestartAndTheSameKubeconfigStillWorks(KubeCluster cluster) {
        Assumptions.assumeTrue(cluster instanceof LocalKubeCluster,
                "restarting needs the suite's own API server; " + cluster.description() + " is not");
        LocalKubeCluster local = (LocalKubeCluster) cluster;
        Crds.install(cluster.kubectl());
        String namespace = cluster.createNamespace("e2e-restart");
        cluster.kubectl().ok("apply", "-n", namespace, "-f", RepoFiles.testResources("manifests").resolve("router.yaml").toString());
        String uid = cluster.kubectl().ok("get", "dom", "router", "-n", namespace, "-o", "jsonpath={.metadata.uid}").stdout();

        local.restartApiServer();

        assertThat(cluster.kubectl().ok("get", "dom", "router", "-n", namespace, "-o", "jsonpath={.metadata.uid}").stdout())
                .isEqualTo(uid);
    }
}
