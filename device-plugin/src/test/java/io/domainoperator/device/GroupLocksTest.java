package io.domainoperator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moves of unrelated IOMMU groups run at once ({@link GroupLocks}): a GPU bind that hangs in the kernel holds up no
 * assign of the router's NIC; two assigns of one group still wait for each other, the second deciding only once
 * the first move ended; and each move keeps its own record in the journal while it runs.
 */
class GroupLocksTest {
    @TempDir
    Path dir;
    /** Our own threads: the common pool has one thread on a two-core machine. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** The node's sysfs, with writes naming one device held until the test lets them go. */
    private static final class HeldWrites implements Sysfs {
        private final Sysfs kernel;
        private volatile String heldDevice;
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        HeldWrites(Sysfs kernel) {
            this.kernel = kernel;
        }

        void hold(String address) {
            heldDevice = address;
        }

        void release() {
            open.countDown();
        }

        boolean released() {
            return open.getCount() == 0;
        }

        @Override
        public Optional<String> read(String path) {
            return kernel.read(path);
        }

        @Override
        public void write(String path, String value) {
            String d = heldDevice;
            if (d != null && (path.contains(d) || value.contains(d))) {
                entered.countDown();
                try {
                    open.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            kernel.write(path, value);
        }

        @Override
        public List<String> list(String path) {
            return kernel.list(path);
        }

        @Override
        public Optional<String> readlink(String path) {
            return kernel.readlink(path);
        }

        @Override
        public boolean exists(String path) {
            return kernel.exists(path);
        }
    }

    private record Node(TestNode test, HeldWrites writes, DevicePlugin plugin) {
    }

    private Node node() {
        TestNode test = new TestNode(dir);
        test.start();
        HeldWrites writes = new HeldWrites(test.kernel);
        DevicePlugin plugin = new DevicePlugin(writes, test.commands, test.journal, PassthroughDriver.PCIBACK);
        return new Node(test, writes, plugin);
    }

    @Test
    void aHungBindOfOneGroupHoldsUpNoAssignOfAnother() throws Exception {
        Node n = node();
        NodeView view = n.test().view();
        n.writes().hold(Machine.GPU);
        CompletableFuture<AssignmentOutcome> gpu = CompletableFuture.supplyAsync(() ->
            n.plugin().assign("default/gpu-a", List.of(n.test().name(Machine.GPU)), view), threads);
        assertThat(n.writes().entered.await(30, TimeUnit.SECONDS)).as("the GPU's move hangs in sysfs").isTrue();

        AssignmentOutcome router = n.plugin().assign("default/router", List.of(n.test().name(Machine.ETH1)), view);

        assertThat(router).as("assigned while the GPU's move still hangs").isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(gpu).isNotDone();
        assertThat(n.test().journal.load().inFlight()).as("the hung move's record stays in the journal")
            .singleElement().satisfies(m -> assertThat(m.holder()).isEqualTo("default/gpu-a"));
        n.writes().release();
        assertThat(gpu.get(30, TimeUnit.SECONDS)).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(n.plugin().holders()).containsEntry(Machine.ETH1, "default/router").containsEntry(Machine.GPU, "default/gpu-a")
            .containsEntry(Machine.GPU_AUDIO, "default/gpu-a");
        assertThat(n.test().journal.load().inFlight()).as("no move left in flight").isEmpty();
    }

    @Test
    void twoAssignsOfOneGroupWaitForEachOther() throws Exception {
        Node n = node();
        NodeView view = n.test().view();
        String gpu = n.test().name(Machine.GPU);
        n.writes().hold(Machine.GPU);
        CompletableFuture<AssignmentOutcome> gpuA = CompletableFuture.supplyAsync(() ->
            n.plugin().assign("default/gpu-a", List.of(gpu), view), threads);
        assertThat(n.writes().entered.await(30, TimeUnit.SECONDS)).as("gpu-a's move hangs in sysfs").isTrue();

        // gpu-b's reads of the node, and whether gpu-a's move was still hanging at each: its last read is the one it
        // decides on, under the group's lock.
        List<Boolean> readWhileHung = new CopyOnWriteArrayList<>();
        CountDownLatch looked = new CountDownLatch(1);
        CompletableFuture<AssignmentOutcome> gpuB = CompletableFuture.supplyAsync(() ->
            n.plugin().assign("default/gpu-b", List.of(gpu), () -> {
                readWhileHung.add(!n.writes().released());
                looked.countDown();
                return new NodeView(view.adapters(), view.policy(), Set.of("default/gpu-a"));
            }), threads);
        assertThat(looked.await(30, TimeUnit.SECONDS)).isTrue();
        n.writes().release();

        assertThat(gpuA.get(30, TimeUnit.SECONDS)).isInstanceOf(AssignmentOutcome.Assigned.class);
        assertThat(gpuB.get(30, TimeUnit.SECONDS)).as("decided after gpu-a's move: the GPU is gpu-a's")
            .isInstanceOf(AssignmentOutcome.Refused.class);
        assertThat(readWhileHung.getLast()).as("gpu-b decided on a view read after gpu-a's move ended").isFalse();
        assertThat(n.plugin().holders()).containsEntry(Machine.GPU, "default/gpu-a");
    }
}
