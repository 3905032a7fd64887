package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node shutdown reaches the running agent, the job the xendomains init script does for Xen: the host's
 * shutdown (the systemd unit {@code domain-operator-halt-all.service} of the chart's {@code host/} directory,
 * ordered to stop before the kubelet and the container runtime) creates {@code <run-dir>/halt-all} and waits for
 * {@code <run-dir>/halt-all.done}. The agent, seeing the request, stops its reconcile loop (nothing may boot
 * again), halts every domain of the node in reverse dependency order within its halt deadline
 * ({@link ShutdownHalt}), and writes the done file.
 *
 * <p>The run directory is on the host's /run, a tmpfs: the request lasts until the node reboots, so an agent
 * restarted in the middle of the shutdown neither reconciles nor boots anything. Removing the file cancels
 * it (for an agent started after it was removed).
 *
 * <p>A pod deletion or DaemonSet update only sends SIGTERM, which halts nothing unless {@code --halt-on-exit}
 * is given: the guests keep running and the next agent re-attaches.
 */
public final class NodeShutdownRequest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeShutdownRequest.class);
    static final String REQUEST_FILE = "halt-all";
    static final String DONE_FILE = "halt-all.done";
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Path request;
    private final Path done;
    private volatile Thread watcher;

    public NodeShutdownRequest(Path runDir) {
        this.request = runDir.resolve(REQUEST_FILE);
        this.done = runDir.resolve(DONE_FILE);
    }

    /** Whether the node is shutting down: a halt was asked for since it booted. */
    public boolean requested() {
        return Files.exists(request);
    }

    /** The file the host's shutdown creates. */
    public Path requestFile() {
        return request;
    }

    /**
     * Runs {@code haltAll} once, on a thread of its own, as soon as the request file appears, then writes the
     * done file (also when the halt failed: the host must not wait out its whole timeout for a broken agent).
     */
    public void onRequest(Runnable haltAll) {
        Thread thread = Thread.ofPlatform().daemon().name("node-shutdown-watch").start(() -> {
            try {
                while (!requested()) {
                    Thread.sleep(POLL);
                }
            } catch (InterruptedException e) {
                return;
            }
            LOG.info("node shutdown: {} appeared, halting every domain of this node", request);
            try {
                haltAll.run();
            } catch (RuntimeException e) {
                LOG.error("node shutdown: the halt failed: {}", e.getMessage(), e);
            } finally {
                markDone();
            }
        });
        watcher = thread;
    }

    private void markDone() {
        try {
            AtomicFiles.write(done, "done\n");
            LOG.info("node shutdown: halt finished, {} written", done);
        } catch (RuntimeException e) {
            LOG.error("node shutdown: cannot write {}: {}", done, e.getMessage());
        }
    }

    @Override
    public void close() {
        Thread thread = watcher;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
