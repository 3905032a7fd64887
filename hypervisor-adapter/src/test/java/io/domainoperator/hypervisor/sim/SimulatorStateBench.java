package io.domainoperator.hypervisor.sim;

import io.domainoperator.hypervisor.DomainDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the simulator's state on disk costs per call at scale (not a test: it asserts nothing, and timing asserts
 * have no place in tests). Creates {@code count} domains with zero latencies in a simulator that keeps its state in a
 * temporary directory, from {@code threads} threads at once (the agent's reconcile threads), and prints the mean time
 * per create for each block of 1,000 (wall time over calls, and each call's own latency), then the same for unpause.
 * Run from the module, with the test classpath from {@code dependency:build-classpath} in cp.txt:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.domainoperator.hypervisor.sim.SimulatorStateBench
 * 10000 8 /var/tmp}: domains, threads, and the directory to keep the state under (default: the temp directory).
 */
public final class SimulatorStateBench {
    private SimulatorStateBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = args.length > 2 ? Files.createTempDirectory(Path.of(args[2]), "sim-state-bench")
            : Files.createTempDirectory("sim-state-bench");
        SimulatedHypervisor sim = SimulatedHypervisor.builder().host(64, 1L << 50)
            .stateFile(dir.resolve("sim/domains.json")).build();
        System.out.printf("%d domains, %d thread(s), state in %s%n", count, threads, dir);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            run("create", count, pool, i -> sim.createPaused(definition("vm-" + i)));
            run("unpause", count, pool, i -> sim.unpause("vm-" + i));
        }
        long start = System.nanoTime();
        int listed = sim.listDomains().size();
        System.out.printf("list of %d: %.2f ms%n", listed, (System.nanoTime() - start) / 1e6);
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private static void run(String operation, int count, ExecutorService pool, Call call) throws Exception {
        long total = System.nanoTime();
        for (int block = 0; block < count; block += 1000) {
            int end = Math.min(count, block + 1000);
            long start = System.nanoTime();
            List<Future<Long>> calls = new ArrayList<>();
            for (int i = block; i < end; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    call.run(n);
                    return System.nanoTime() - t;
                }));
            }
            long latencies = 0;
            long worst = 0;
            for (Future<Long> f : calls) {
                latencies += f.get();
                worst = Math.max(worst, f.get());
            }
            System.out.printf("%s %5d..%5d: wall %.3f ms per call, latency mean %.3f ms, max %.1f ms%n", operation, block,
                end - 1, (System.nanoTime() - start) / 1e6 / (end - block), latencies / 1e6 / (end - block), worst / 1e6);
        }
        System.out.printf("%s: %.3f ms per call over all %d%n", operation, (System.nanoTime() - total) / 1e6 / count, count);
    }

    private static DomainDefinition definition(String name) {
        return SimulatedHypervisorTest.definition(name, 1, 16);
    }
}
