/**
 * The end-to-end harness, apart from the suites: the API server and node the suites run against
 * ({@link io.domainoperator.e2e.harness.KubeApiServerExtension}, {@link io.domainoperator.e2e.harness.KubeNodeExtension},
 * {@link io.domainoperator.e2e.harness.LocalKubeCluster}, {@link io.domainoperator.e2e.harness.LocalKubeNode} and
 * their binaries, credentials and host settings), the tools they drive ({@link io.domainoperator.e2e.harness.Kubectl},
 * {@link io.domainoperator.e2e.harness.OperatorProcess}, {@link io.domainoperator.e2e.harness.ManagedProcess}) and
 * what they read back ({@link io.domainoperator.e2e.harness.KubectlTable},
 * {@link io.domainoperator.e2e.harness.PrometheusText}). Sub-packages hold the chart's ({@code .chart}: helm) and
 * the image's ({@code .image}: podman) harness. The suites ({@code *E2E}, {@code *IT}, {@code *Test}) live in
 * {@code io.domainoperator.e2e} and its {@code .chart} and {@code .image} packages.
 */
package io.domainoperator.e2e.harness;
