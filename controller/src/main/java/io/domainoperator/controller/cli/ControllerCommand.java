package io.domainoperator.controller.cli;

import io.domainoperator.controller.cluster.ClusterController;
import io.domainoperator.controller.cluster.webhook.AdmissionWebhook;
import io.domainoperator.controller.cluster.webhook.CertificateKeeper;
import io.domainoperator.controller.metrics.MetricsServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code domain-operator controller}: the leader-elected cluster controller (placement, validation, node loss). */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = "Run the cluster controller: validate and place DomainConfigs, report lost nodes. Leader-elected: run two replicas.")
public final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--namespace", defaultValue = "domain-operator-system",
        description = "Namespace of the leader Lease and of the node heartbeat Leases (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--identity", defaultValue = "${env:POD_NAME}", description = "This replica's name in the election (default: $POD_NAME, else the host name).")
    String identity;

    @Option(names = "--metrics-address", defaultValue = "0.0.0.0", description = "Address of /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Port of /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--webhook-port", defaultValue = "0",
        description = "Serve the DomainConfig validating admission webhook (HTTPS) on this port; 0: no webhook (default: ${DEFAULT-VALUE}).")
    int webhookPort;

    @Option(names = "--webhook-address", defaultValue = "0.0.0.0", description = "Address of the webhook (default: ${DEFAULT-VALUE}).")
    String webhookHost;

    @Option(names = "--webhook-secret", defaultValue = "domain-operator-webhook-tls",
        description = "Secret in --namespace holding the webhook's serving certificate; the leader creates and rotates it (default: ${DEFAULT-VALUE}).")
    String webhookSecret;

    @Option(names = "--webhook-configuration",
        description = "ValidatingWebhookConfiguration whose caBundle the leader keeps current; unset: leave it to cert-manager or the installer.")
    String webhookConfiguration;

    @Option(names = "--webhook-hosts", split = ",", defaultValue = "",
        description = "DNS names and IP addresses the API server dials the webhook by, written into its certificate, e.g. NAME.NAMESPACE.svc.")
    java.util.List<String> webhookHosts;

    @Option(names = "--drain-parallel", defaultValue = "" + io.domainoperator.controller.cluster.DrainPlanner.DEFAULT_PARALLEL,
        paramLabel = "N", description = "Node drain: how many live migrations off nodes in maintenance run at once, fleet-wide "
            + "(default: ${DEFAULT-VALUE}).")
    int drainParallel;

    @Option(names = "--webhook-cert-validity", defaultValue = "2160h", converter = CertificateValidityConverter.class,
        description = "Lifetime of each serving certificate; renewed at two thirds of it (default: ${DEFAULT-VALUE}).")
    java.time.Duration webhookCertValidity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.util.List<String> hosts = webhookHosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        if (webhookPort != 0 && hosts.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--webhook-port needs --webhook-hosts: "
                + "the names the API server dials the webhook by (the Service's NAME.NAMESPACE.svc), for its certificate");
        }
        if (webhookPort != 0 && webhookCertValidity.compareTo(java.time.Duration.ofSeconds(30)) < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "--webhook-cert-validity must be at least 30s, is " + webhookCertValidity);
        }
        String id = identity == null || identity.isBlank() ? InetAddress.getLocalHost().getHostName() : identity;
        KubernetesClient client = ClusterConnection.connect(System.getenv());
        PrometheusMeterRegistry registry = io.domainoperator.controller.metrics.MeterRegistries.prometheus();
        java.util.concurrent.atomic.AtomicReference<ClusterController> leading = new java.util.concurrent.atomic.AtomicReference<>();
        var metrics = new io.domainoperator.controller.metrics.ControllerMetrics(registry,
            () -> leading.get() != null && leading.get().isLeader());
        ClusterController controller = new ClusterController(client, namespace, id, Clock.systemUTC(),
            ClusterController.Timings.defaults(), metrics);
        controller.drainParallel(drainParallel);
        leading.set(controller);
        AdmissionWebhook webhook = webhookPort == 0 ? null : new AdmissionWebhook(client, webhookHost, webhookPort,
            new CertificateKeeper.Settings(namespace, webhookSecret, webhookConfiguration,
                hosts, webhookCertValidity),
            Clock.systemUTC(), controller::isLeader, metrics);
        // A standby replica is alive (healthz) but not ready: only the leader acts.
        MetricsServer server = new MetricsServer(metricsHost, metricsPort, registry, controller::isLeader);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            controller.close();
            if (webhook != null) {
                webhook.close();
            }
            server.close();
            client.close();
            stopped.countDown();
        }));
        controller.start();
        stopped.await();
        return 0;
    }
}
