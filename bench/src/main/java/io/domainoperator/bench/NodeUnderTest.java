package io.domainoperator.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One scenario's world: a fresh API server, the agent process for one node with its state directory on the work
 * disk, the DomainConfig watch and the write counters, all started in order and closed in reverse.
 */
public final class NodeUnderTest implements AutoCloseable {
    public final BenchCluster cluster;
    public final AgentUnderTest agent;
    public final DomainWatch watch;
    public final ApiWriteCounter writes;
    public final PacedCreator creator;
    public final Path stateDir;

    private NodeUnderTest(BenchCluster cluster, AgentUnderTest agent, DomainWatch watch, ApiWriteCounter writes,
                          PacedCreator creator, Path stateDir) {
        this.cluster = cluster;
        this.agent = agent;
        this.watch = watch;
        this.writes = writes;
        this.creator = creator;
        this.stateDir = stateDir;
    }

    public static NodeUnderTest start(BenchSettings settings, String scenario, String... agentArgs) {
        String namespace = "bench-" + scenario;
        String node = "bench-node";
        Path stateDir = settings.workDir().resolve("state").resolve(scenario + "-" + UUID.randomUUID().toString().substring(0, 6));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            // 0700, as the agent makes its own: doctor's state-dir check would flag anything wider.
            java.nio.file.Files.createDirectories(stateDir.getParent());
            java.nio.file.Files.createDirectory(stateDir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            BenchCluster cluster = BenchCluster.start(settings.repoRoot(), settings.logDir(), namespace);
            started.add(cluster);
            System.out.println("bench: " + scenario + ": " + cluster.description());
            DomainWatch watch = new DomainWatch(cluster);
            started.add(watch);
            ApiWriteCounter writes = new ApiWriteCounter(cluster);
            started.add(writes);
            AgentUnderTest agent = startAgent(settings, scenario, cluster, node, stateDir, agentArgs);
            System.out.println("bench: " + scenario + ": agent pid " + agent.pid() + ", state " + stateDir + " on "
                + MachineInfo.fileSystemType(stateDir) + ", log " + agent.log());
            return new NodeUnderTest(cluster, agent, watch, writes, new PacedCreator(cluster, watch, node), stateDir);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /**
     * The agent, started again if it gives up at start: on a machine shared with other builds its first request to
     * the API server can time out, and the agent then exits 1 (as it should: it cannot reach the cluster).
     */
    private static AgentUnderTest startAgent(BenchSettings settings, String scenario, BenchCluster cluster, String node,
                                             Path stateDir, String... agentArgs) {
        for (int attempt = 1; ; attempt++) {
            try {
                return AgentUnderTest.start(settings.repoRoot(), cluster.kubeconfig(), node, cluster.namespace(), stateDir,
                    settings.agentJvm(), settings.simLatency(), settings.logDir().resolve(scenario + "-agent-" + attempt + ".log"),
                    agentArgs);
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !e.getMessage().contains("exited")) {
                    throw e;
                }
                System.err.println("bench: " + scenario + ": the agent gave up at start (attempt " + attempt + "), again: "
                    + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    @Override
    public void close() {
        closeAll(List.of(cluster, watch, writes, agent));
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("bench: closing " + parts.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
