package io.domainoperator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node agent as users run it: {@code java -jar controller/target/domain-operator.jar agent ...} in a JVM of its
 * own, the chart's heap, {@code KUBECONFIG} naming the API server, the simulator with the given latencies, its state
 * directory on the disk given. Its output goes to a log file the head-of-line scenarios read.
 */
public final class AgentUnderTest implements AutoCloseable {
    private static final Duration START = Duration.ofMinutes(3);
    private final Process process;
    private final Path log;
    private final int metricsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AgentUnderTest(Process process, Path log, int metricsPort) {
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    /**
     * @param jvmOptions e.g. {@code -Xmx384m -XX:+UseSerialGC}
     * @param extraArgs  further agent flags, e.g. {@code --sim-hang shutdown:hol-victim=60s}
     */
    public static AgentUnderTest start(Path repoRoot, Path kubeconfig, String node, String leaseNamespace, Path stateDir,
                                       String jvmOptions, String simLatency, Path log, String... extraArgs) {
        Path jar = repoRoot.resolve("controller/target/domain-operator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it (./mvnw -B -pl bench -am verify -Pbench does)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        command.addAll(List.of("-jar", jar.toString(), "agent",
            "--node", node,
            "--hypervisor", "sim",
            "--sim-latency", simLatency,
            "--state-dir", stateDir.toString(),
            "--run-dir", stateDir.resolve("run").toString(),
            "--image-root", stateDir.resolve("img").toString(),
            "--lease-namespace", leaseNamespace,
            "--metrics-address", "127.0.0.1",
            "--metrics-port", Integer.toString(port)));
        command.addAll(List.of(extraArgs));
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", command) + "\n");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("DOMAIN_OPERATOR_LOG_LEVEL", "INFO");
            AgentUnderTest agent = new AgentUnderTest(builder.start(), log, port);
            Runtime.getRuntime().addShutdownHook(new Thread(agent.process::destroyForcibly));
            agent.awaitReady();
            return agent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            if (get("/readyz").status() == 200) {
                return;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("agent not ready within " + START + "; log " + log);
    }

    public void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the agent exited with " + process.exitValue() + "; log " + log + ":\n" + logTail());
        }
    }

    public long pid() {
        return process.pid();
    }

    public int metricsPort() {
        return metricsPort;
    }

    public Path log() {
        return log;
    }

    /** Waits until the agent's log holds {@code text} (e.g. the simulator saying a call hangs). */
    public boolean awaitLog(String text, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep(Duration.ofMillis(100));
        }
        return false;
    }

    /** The body of {@code /metrics} (uncompressed, as a scrape without Accept-Encoding gets it). */
    public Reply get(String path) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, new byte[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a counter or gauge's samples on /metrics whose line starts with {@code prefix} (name and labels). */
    public double metric(String prefix) {
        Reply r = get("/metrics");
        if (r.status() != 200) {
            return Double.NaN;
        }
        double sum = 0;
        boolean found = false;
        for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(prefix)) {
                String[] parts = line.trim().split("\\s+");
                sum += Double.parseDouble(parts[parts.length - 1]);
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    /** The process's user + system CPU time, in clock ticks, from {@code /proc/<pid>/stat}. */
    public long cpuTicks() {
        try {
            return ProcStat.cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid()), "stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A full GC ({@code jcmd GC.run}), then the heap in use as the agent's JVM metrics report it, in bytes.
     * {@code GC.heap_info}'s text goes to the log beside the agent's for the curious.
     */
    public double heapAfterFullGc(Path jcmdLog) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String run = MachineInfo.run(Path.of("."), jcmd, Long.toString(pid()), "GC.run");
        String info = MachineInfo.run(Path.of("."), jcmd, Long.toString(pid()), "GC.heap_info");
        try {
            Files.writeString(jcmdLog, "GC.run:\n" + run + "\nGC.heap_info:\n" + info + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metric("jvm_memory_used_bytes{area=\"heap\"");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    /** SIGTERM, as a pod is stopped; SIGKILL after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP answer; status -1 when nothing listens. */
    public record Reply(int status, byte[] body) {
    }
}
