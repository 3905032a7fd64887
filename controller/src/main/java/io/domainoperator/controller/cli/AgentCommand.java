package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.AgentConfig;
import io.domainoperator.controller.agent.AgentWiring;
import io.domainoperator.controller.agent.NodeAgent;
import io.domainoperator.controller.agent.NodeShutdownRequest;
import io.domainoperator.controller.agent.ShutdownHalt;
import io.domainoperator.controller.doctor.HostCheck;
import io.domainoperator.controller.doctor.NodeDoctor;
import io.domainoperator.hypervisor.HostProbe;
import io.domainoperator.hypervisor.Hypervisor;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code domain-operator agent --node NAME}: the DaemonSet process on each hypervisor node. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the node agent: reconcile this node's DomainConfigs against its hypervisor (KUBECONFIG or in-cluster config).")
public final class AgentCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentCommand.class);
    @Option(names = "--node", required = true, defaultValue = "${env:NODE_NAME}",
        description = "This node's name; only DomainConfigs with spec.nodeName equal to it are reconciled (default: $NODE_NAME).")
    String node;

    @Option(names = "--knobs-configmap", paramLabel = "NAMESPACE/NAME",
        description = "ConfigMap whose data overrides the global knobs (timer.boot.retry, debug.enable.usb, ...) at run time.")
    String knobsConfigMap;

    @Option(names = "--lease-namespace", defaultValue = "domain-operator-system",
        description = "Namespace of the node heartbeat Lease the cluster controller reads (default: ${DEFAULT-VALUE}).")
    String leaseNamespace;

    @Option(names = "--migration-address", defaultValue = "${env:POD_IP:-127.0.0.1}", paramLabel = "HOST",
        description = "Address other nodes reach this one at for live migration: incoming domains listen there on a free "
            + "port (default: $POD_IP, else ${DEFAULT-VALUE}).")
    String migrationAddress;

    @Mixin
    AgentOptions options;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = options.toConfig(node, knobsConfigMap, leaseNamespace);
        KubernetesClient client = ClusterConnection.connect(System.getenv());
        return runUntilSignalled(config, client, () -> { }, migrationAddress);
    }

    /** doctor's checks for this agent's flags; each problem is logged with what to do. */
    static List<HostCheck> hostProblems(AgentConfig config) {
        createPrivately(config.stateDir());
        NodeDoctor doctor = new NodeDoctor(HostProbe.system(), config.sysfsRoot(), null, System.getProperty("user.name"));
        List<HostCheck> problems = doctor.check(NodeDoctor.agentStart(config.hypervisor(), config.devicePassthrough(),
            config.stateDir(), config.imageRoot())).stream().filter(c -> c.status() != HostCheck.Status.OK).toList();
        problems.forEach(c -> LOG.warn("host check {}", c.summary()));
        return problems;
    }

    /** A state directory the agent creates is its own (0700): journals name domains, disks and devices. */
    static void createPrivately(java.nio.file.Path dir) {
        if (java.nio.file.Files.exists(dir)) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            LOG.warn("cannot create the state directory {} with mode 0700: {}", dir, e.getMessage());
        }
    }

    static int runUntilSignalled(AgentConfig config, KubernetesClient client) throws InterruptedException {
        return runUntilSignalled(config, client, () -> { });
    }

    /** Runs the agent until SIGTERM; {@code afterStop} runs once the loop has stopped and the halt on exit is done. */
    static int runUntilSignalled(AgentConfig config, KubernetesClient client, Runnable afterStop) throws InterruptedException {
        return runUntilSignalled(config, client, afterStop, "127.0.0.1");
    }

    /** As above; incoming live migrations listen on {@code migrationAddress}. */
    static int runUntilSignalled(AgentConfig config, KubernetesClient client, Runnable afterStop, String migrationAddress)
        throws InterruptedException {
        Clock clock = Clock.systemUTC();
        io.domainoperator.controller.crash.CrashSwitch.announce();
        HostChecks.requireBackend(config.hypervisor(), HostProbe.system());
        List<HostCheck> hostProblems = hostProblems(config);
        AgentWiring.Parts parts = AgentWiring.wire(config, client, clock);
        Hypervisor hypervisor = parts.hypervisor();
        NodeAgent agent = parts.agent();
        agent.reportHostProblems(hostProblems);
        agent.migrationAddress(migrationAddress);
        CountDownLatch stopped = new CountDownLatch(1);
        NodeShutdownRequest nodeShutdown = new NodeShutdownRequest(config.runDir());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("agent-shutdown").unstarted(() -> {
            nodeShutdown.close();
            // The loop stops first: it would boot again what the halt takes down.
            agent.close();
            if (config.haltOnExit()) {
                new ShutdownHalt(client, hypervisor, config, clock).haltAll();
            }
            hypervisor.close();
            afterStop.run();
            stopped.countDown();
        }));
        if (nodeShutdown.requested()) {
            // Restarted while the node shuts down: booting anything now would undo the halt.
            LOG.warn("node shutdown in progress ({} exists): not reconciling; remove it to cancel, then restart the agent",
                nodeShutdown.requestFile());
        } else {
            agent.start();
            nodeShutdown.onRequest(() -> {
                agent.close();
                new ShutdownHalt(client, hypervisor, config, clock).haltAll();
            });
        }
        stopped.await();
        return 0;
    }
}
