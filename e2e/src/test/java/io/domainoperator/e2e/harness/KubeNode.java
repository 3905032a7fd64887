package io.domainoperator.e2e.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs the annotated test class on a real Kubernetes node, where pods run, and injects a {@link NodeCluster}.
 *
 * <p>When the {@code KUBECONFIG} environment variable names an existing file, that cluster and its first node
 * are used (its images must already be there). Otherwise {@link KubeNodeExtension} starts a one-node cluster on
 * this machine ({@link LocalKubeNode}): one per JVM, shared by every class with this annotation, stopped when
 * the run ends.
 */
@ResourceLock(ExclusiveResources.LOCAL_KUBE_NODE)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeNodeExtension.class)
public @interface KubeNode {}
