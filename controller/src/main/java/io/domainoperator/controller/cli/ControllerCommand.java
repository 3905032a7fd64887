package io.domainoperator.controller.cli;

import io.domainoperator.controller.cluster.ClusterController;
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

    @Override
    public Integer call() throws Exception {
        String id = identity == null || identity.isBlank() ? InetAddress.getLocalHost().getHostName() : identity;
        KubernetesClient client = ClusterConnection.connect(System.getenv());
        ClusterController controller = new ClusterController(client, namespace, id, Clock.systemUTC(),
            ClusterController.Timings.defaults());
        PrometheusMeterRegistry registry = io.domainoperator.controller.metrics.MeterRegistries.prometheus();
        // A standby replica is alive (healthz) but not ready: only the leader acts.
        MetricsServer server = new MetricsServer(metricsHost, metricsPort, registry, controller::isLeader);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            controller.close();
            server.close();
            client.close();
            stopped.countDown();
        }));
        controller.start();
        stopped.await();
        return 0;
    }
}
