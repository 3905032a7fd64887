package io.domainoperator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.domainoperator.e2e.harness.AuthorizationMode;
import io.domainoperator.e2e.harness.Crds;
import io.domainoperator.e2e.harness.Identity;
import io.domainoperator.e2e.harness.KubeApiServer;
import io.domainoperator.e2e.harness.KubeCluster;
import io.domainoperator.e2e.harness.Kubectl;
import io.domainoperator.e2e.harness.RepoFiles;

/**
 * The ground scenario 5 stands on: with {@code --authorization-mode=RBAC}, a service-account identity
 * declared on the extension authenticates with its own kubeconfig, is refused until a binding grants it,
 * and gets exactly what the binding grants. Runs on an external cluster too (by impersonation).
 */
@KubeApiServer(authorization = AuthorizationMode.RBAC, serviceAccounts = RbacIdentitiesE2E.READER_SA)
class RbacIdentitiesE2E {

    static final String READER_SA = "domain-operator-e2e/domain-reader";
    private static final Identity READER = Identity.serviceAccount(READER_SA);

    private static String namespace;

    @BeforeAll
    static void setUp(KubeCluster cluster) {
        Crds.install(cluster.kubectl());
        namespace = cluster.createNamespace("e2e-rbac");
        cluster.kubectl().ok("apply", "-n", namespace, "-f", RepoFiles.testResources("manifests").resolve("router.yaml").toString());
    }

    @AfterAll
    static void tearDown(KubeCluster cluster) {
        cluster.deleteNamespace(namespace);
    }

    @Test
    void identityIsRefusedUntilBoundThenGetsOnlyWhatTheRoleGrants(KubeCluster cluster) {
        Kubectl reader = cluster.kubectl(READER);

        var refused = reader.run("get", "dom", "-n", namespace);
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).contains("forbidden").contains(READER.user());

        cluster.kubectl().ok("create", "role", "domain-reader", "-n", namespace,
                "--verb=get,list,watch", "--resource=domainconfigs.domainoperator.io");
        cluster.kubectl().ok("create", "rolebinding", "domain-reader", "-n", namespace,
                "--role=domain-reader", "--serviceaccount=" + READER_SA.replace('/', ':'));

        assertThat(reader.ok("get", "dom", "-n", namespace, "-o", "name").stdout().trim())
                .isEqualTo("domainconfig.domainoperator.io/router");
        var delete = reader.run("delete", "dom", "router", "-n", namespace);
        assertThat(delete.exitCode()).as(delete.describe()).isNotZero();
        assertThat(delete.stderr()).contains("forbidden");
        // can-i answers on stdout and exits 1 for "no".
        assertThat(reader.run("auth", "can-i", "delete", "domainconfigs.domainoperator.io", "-n", namespace)
                .stdout().trim()).isEqualTo("no");
    }
}
