package io.domainoperator.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scenario is run with, bound once from system properties (the bench profile of bench/pom.xml passes
 * them): where the checkout and the work directory are, the agent's JVM options and the simulator's latencies.
 *
 * @param pollInterval the agent's --poll-interval (its default): the head-of-line target allows one
 * @param warmup domains a creation scenario boots and deletes before the ones it measures ({@link Warmup}); 0 for none
 */
public record BenchSettings(Path repoRoot, Path workDir, String agentJvm, String simLatency, Duration pollInterval,
                            int warmup) {

    public static BenchSettings fromSystemProperties() {
        return new BenchSettings(
            Path.of(System.getProperty("bench.repo.root", ".")).toAbsolutePath().normalize(),
            Path.of(System.getProperty("bench.work", "bench/target/bench")).toAbsolutePath().normalize(),
            System.getProperty("bench.agent.jvm", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"),
            System.getProperty("bench.sim.latency", "create=800ms,unpause=50ms,list=20ms"),
            Duration.ofSeconds(5),
            Integer.getInteger("bench.warmup", Warmup.DEFAULT));
    }

    public Path logDir() {
        return workDir.resolve("logs");
    }
}
