package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (HypervisorChaosSmokeTest, two domains ran with one GPU): gpu-a held the GPU, its boot attempt failed
 * and left no domain; between its attempts gpu-b was given the GPU (a holder without a domain may be taken over);
 * gpu-a's next attempt, decided on a view from before, created its domain with the GPU all the same. A create now
 * asks the plugin, under the lock of the GPU's group that serialises its assigns, whether its domain still holds what it
 * passes through; and an assign reads which domains are active once it holds that lock, so a create that started while
 * the assign waited counts.
 */
class HolderFreshnessTest {
    private static final String GPU_A = "default/gpu-a";
    private static final String GPU_B = "default/gpu-b";
    private static final List<String> GPU_FUNCTIONS = List.of(Machine.GPU, Machine.GPU_AUDIO);

    @TempDir
    Path dir;
    /** Two of its own: the common pool has one thread on a two-core machine. */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);

    @org.junit.jupiter.api.AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aDomainWhoseGpuWasTakenOverBetweenBootAttemptsIsToldItNoLongerHoldsIt() {
        TestNode node = new TestNode(dir);
        node.start();
        node.assign(GPU_A, Machine.GPU);
        assertThat(node.plugin.notHeldBy(GPU_A, GPU_FUNCTIONS)).as("gpu-a holds both functions").isEmpty();

        node.active.remove(GPU_A); // its boot attempt failed: no domain until the next one
        AssignmentOutcome taken = node.assign(GPU_B, Machine.GPU);

        assertThat(taken).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(node.plugin.notHeldBy(GPU_A, GPU_FUNCTIONS)).containsExactlyElementsOf(GPU_FUNCTIONS);
        assertThat(node.plugin.notHeldBy(GPU_B, GPU_FUNCTIONS)).isEmpty();
        assertThat(node.plugin.notHeldBy(GPU_A, List.of())).as("a domain without adapters holds all it needs").isEmpty();
    }

    @Test
    void anAssignThatWaitedForAnotherMoveSeesTheCreateThatStartedMeanwhile() throws Exception {
        GatedJournal journal = new GatedJournal();
        TestNode node = new TestNode(dir, PassthroughDriver.PCIBACK, journal);
        node.start();
        node.assign(GPU_A, Machine.GPU);
        List<io.domainoperator.api.v1alpha1.PhysicalIOAdapter> adapters = List.copyOf(node.view().adapters());
        Set<String> active = java.util.concurrent.ConcurrentHashMap.newKeySet(); // gpu-a: no domain between attempts
        String eth1 = node.name(Machine.ETH1);
        String gpu = node.name(Machine.GPU);

        // Locks are per IOMMU group: what gpu-b waits for is a call on the GPU's group, here gpu-a's own create asking
        // whether it still holds its GPU (held in its read of the journal, under that group's lock).
        CompletableFuture<List<String>> gpuACheck = new CompletableFuture<>();
        Thread create = Thread.ofPlatform().unstarted(() -> gpuACheck.complete(node.plugin.notHeldBy(GPU_A, GPU_FUNCTIONS)));
        journal.holdLoadsOf(create);
        create.start();
        assertThat(journal.held.await(30, TimeUnit.SECONDS)).as("gpu-a's check holds the GPU's group lock").isTrue();

        CountDownLatch gpuBLooked = new CountDownLatch(1);
        CompletableFuture<AssignmentOutcome> gpuB = CompletableFuture.supplyAsync(() ->
            node.plugin.assign(GPU_B, List.of(gpu), () -> {
                gpuBLooked.countDown();
                return new NodeView(adapters, node.policy, Set.copyOf(active));
            }), threads);
        assertThat(gpuBLooked.await(30, TimeUnit.SECONDS)).as("gpu-b's assign read the node before waiting").isTrue();

        // Another group's move goes on meanwhile: the router's NIC waits for nothing of the GPU's.
        assertThat(node.plugin.assign("default/router", List.of(eth1), new NodeView(adapters, node.policy, Set.of())))
            .isInstanceOf(AssignmentOutcome.Assigned.class);

        active.add(GPU_A); // gpu-a's next create starts (the agent counts a domain with a call in flight as active)
        assertThat(node.plugin.holders()).containsEntry(Machine.GPU, GPU_A);
        journal.release();

        assertThat(gpuACheck.get(30, TimeUnit.SECONDS)).as("gpu-a still holds its GPU").isEmpty();
        assertThat(gpuB.get(30, TimeUnit.SECONDS)).as("gpu-a's create started before gpu-b got the lock")
            .isInstanceOf(AssignmentOutcome.Refused.class);
        assertThat(node.plugin.holders()).containsEntry(Machine.GPU, GPU_A).containsEntry(Machine.GPU_AUDIO, GPU_A);
    }

    /** A journal whose reads by one thread wait until the test lets them go on, with that thread's locks held. */
    private static final class GatedJournal implements DeviceJournal {
        private final InMemoryDeviceJournal delegate = new InMemoryDeviceJournal();
        final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);
        private volatile Thread gated;

        void holdLoadsOf(Thread thread) {
            gated = thread;
        }

        void release() {
            open.countDown();
        }

        @Override
        public JournalState load() {
            if (Thread.currentThread() == gated) {
                held.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.load();
        }

        @Override
        public void store(JournalState state) {
            delegate.store(state);
        }
    }
}
