package io.domainoperator.e2e.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Kubernetes API server and injects a {@link KubeCluster}
 * into test constructors, lifecycle methods and test methods.
 *
 * <p>When the {@code KUBECONFIG} environment variable names an existing file, that cluster is used
 * (kind, k3s, ...) and the settings here that only a local server can honour are ignored. Otherwise
 * the extension starts etcd and the kube-apiserver built by {@code e2e/build-kube-apiserver.sh}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeApiServerExtension.class)
public @interface KubeApiServer {

    /** The local server's {@code --authorization-mode}. */
    AuthorizationMode authorization() default AuthorizationMode.ALWAYS_ALLOW;

    /**
     * Service accounts, as {@code namespace/name}, that get a static token on the local server so a
     * process can act as them ({@link KubeCluster#kubeconfig(Identity)}). RBAC bindings to these
     * ServiceAccount subjects then apply, as they would to pods running with them.
     */
    String[] serviceAccounts() default {};

    /**
     * Whether the local server writes an audit log of every write request ({@link AuditLog}, read through
     * {@link LocalKubeCluster#auditLog()}). Not available on an external cluster.
     */
    boolean auditLog() default false;

    /** Whether the local server is shared by every class with the same settings or owned by this class. */
    Scope scope() default Scope.JVM;

    enum Scope {
        /** Started once, shared by all classes with equal settings, stopped when the JVM's tests end. */
        JVM,
        /** Started for this class and stopped after it, e.g. for a class that restarts or breaks the server. */
        CLASS
    }
}
