package io.domainoperator.e2e.harness;

import static org.awaitility.Awaitility.await;

import io.domainoperator.testing.TestJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A domain-operator process (node agent or cluster controller) started the way a DaemonSet or Deployment
 * starts it: its own JVM running {@code io.domainoperator.controller.cli.Main}, with {@code KUBECONFIG}
 * naming the identity it acts as, and nothing shared with the test but the API server. Its output goes to
 * {@code target/e2e-logs/operators/}, and its {@code /metrics} and {@code /readyz} answer on a port picked here.
 *
 * <p>{@link #kill()} is {@code kill -9} (a node crash, as far as the agent can tell); {@link #close()} is
 * SIGTERM, a pod being stopped.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final String MAIN = "io.domainoperator.controller.cli.Main";
    /** A JVM start, informer sync and first reconcile take a while when two cores serve several helpers. */
    public static final Duration START = Duration.ofMinutes(3);
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final String name;
    private final ManagedProcess process;
    private final int metricsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OperatorProcess(String name, ManagedProcess process, int metricsPort) {
        this.name = name;
        this.process = process;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts {@code domain-operator agent} for {@code node}. The run and image directories live under
     * {@code stateDir}, so a second agent started on the same state dir finds everything the first left.
     *
     * @param hypervisor {@code sim} or {@code qemu}
     * @param leaseNamespace where the node heartbeat Lease goes (the cluster controller's namespace)
     * @param extraArgs further flags, e.g. {@code --qemu-user-networking}
     */
    public static OperatorProcess agent(Path kubeconfig, String node, String hypervisor, Path stateDir, String leaseNamespace,
                                 String... extraArgs) {
        return agent(kubeconfig, node, hypervisor, stateDir, leaseNamespace, Map.of(), extraArgs);
    }

    /** The cgroup that holds the groups of the QEMUs an agent started here for {@code node} starts. */
    public static String guestCgroupParent(String node) {
        return "domain-operator-" + node;
    }

    private static OperatorProcess agent(Path kubeconfig, String node, String hypervisor, Path stateDir, String leaseNamespace,
                                         Map<String, String> env, String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("agent",
                "--node", node,
                "--hypervisor", hypervisor,
                "--state-dir", stateDir.toString(),
                "--run-dir", stateDir.resolve("run").toString(),
                "--image-root", stateDir.resolve("img").toString(),
                // The test guest's kernel and initrd are booted where the cache holds them.
                "--allowed-image-root", stateDir + "," + QemuGuest.cacheDir().resolve("guest"),
                "--lease-namespace", leaseNamespace,
                "--metrics-address", "127.0.0.1",
                "--metrics-port", Integer.toString(port),
                // Quick loops, so scenarios converge in seconds rather than the production minutes.
                "--poll-interval", "1s",
                "--boot-retry", "5s"));
        args.addAll(List.of(extraArgs));
        // Each node's guests in groups of their own: two nodes on this host share domain names (a migration's source
        // and target), and one group would hold both QEMUs under one memory limit.
        Map<String, String> withGroup = new java.util.HashMap<>(env);
        withGroup.putIfAbsent("DOMAIN_OPERATOR_GUEST_CGROUP_PARENT", guestCgroupParent(node));
        return start("agent-" + node, kubeconfig, args, port, withGroup);
    }

    /** {@link #agent(Path, String, String, Path, String, String...)} with further environment variables (test switches). */
    public static OperatorProcess agent(Map<String, String> environment, Path kubeconfig, String node, String hypervisor,
                                        Path stateDir, String leaseNamespace, String... extraArgs) {
        return agent(kubeconfig, node, hypervisor, stateDir, leaseNamespace, environment, extraArgs);
    }

    /** As {@link #agent}, with more environment (test-only switches such as {@code DOMAIN_OPERATOR_TEST_KERNEL}). */
    public static OperatorProcess agentWithEnv(Path kubeconfig, String node, String hypervisor, Path stateDir,
                                               String leaseNamespace, Map<String, String> env, String... extraArgs) {
        return agent(kubeconfig, node, hypervisor, stateDir, leaseNamespace, env, extraArgs);
    }

    /** Starts {@code domain-operator controller}, leader Lease and node heartbeats in {@code namespace}. */
    public static OperatorProcess controller(Path kubeconfig, String namespace, String identity, String... extraArgs) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("controller",
                "--namespace", namespace,
                "--identity", identity,
                "--metrics-address", "127.0.0.1",
                "--metrics-port", Integer.toString(port)));
        args.addAll(List.of(extraArgs));
        return start("controller-" + identity, kubeconfig, args, port, Map.of());
    }

    private static OperatorProcess start(String name, Path kubeconfig, List<String> args, int metricsPort,
                                         Map<String, String> extraEnv) {
        String classPath = classPath();
        // Small and quick to start: several of these share two cores with the API server.
        List<String> command = new ArrayList<>(List.of(TestJvm.java(), "-Xmx256m"));
        command.addAll(TestJvm.quickStart(TestJvm.entries(classPath)));
        command.add(MAIN);
        command.addAll(args);
        Path log = KubeApiServerExtension.logRoot().resolve("operators")
                .resolve(String.format("%02d-%s.log", STARTS.incrementAndGet(), name));
        // The class path goes in the environment rather than on the command line the log starts with: it is long.
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("CLASSPATH", classPath);
        ManagedProcess process = ManagedProcess.start(name, command, env, log);
        return new OperatorProcess(name, process, metricsPort);
    }

    /**
     * The test JVM's own class path, which holds the controller module and its dependencies. Failsafe
     * starts tests from a manifest-only jar and publishes the full path in {@code surefire.test.class.path}.
     * This module's own output directories are left out: the operator never loads the suites' classes, and a
     * directory on the class path keeps the JVM from keeping a class-data archive (TestJvm).
     */
    private static String classPath() {
        String full = System.getProperty("surefire.test.class.path");
        String path = full != null && !full.isBlank() ? full : System.getProperty("java.class.path");
        Path ownOutput = Path.of("target").toAbsolutePath();
        return TestJvm.entries(path).stream()
                .filter(p -> !(p.toAbsolutePath().startsWith(ownOutput) && !Files.isRegularFile(p)))
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Waits until {@code /readyz} says the loop runs; fails with the log's tail if the process exits first. */
    public OperatorProcess awaitReady() {
        await(name + " ready on /readyz").atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            process.assertAlive();
            return get("/readyz").status() == 200;
        });
        return this;
    }

    /** The Prometheus text of {@code /metrics}. */
    public PrometheusText metrics() {
        Reply reply = get("/metrics");
        if (reply.status() != 200) {
            throw new AssertionError(name + " /metrics answered " + reply.status() + ": " + reply.body());
        }
        return PrometheusText.parse(reply.body());
    }

    private Reply get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void assertAlive() {
        process.assertAlive();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.log();
    }

    /** The end of the process's log, for failure messages. */
    public String logTail() {
        return name + " log " + process.log() + ":\n" + process.logTail(40);
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is cleaned up, children (QEMU) stay. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM, as Kubernetes stops a pod; SIGKILL after a grace period. */
    @Override
    public void close() {
        process.close();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** An HTTP answer; status -1 when nothing listens (yet, or any more). */
    private record Reply(int status, String body) {}
}
