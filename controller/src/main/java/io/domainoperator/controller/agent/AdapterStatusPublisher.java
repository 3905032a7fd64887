package io.domainoperator.controller.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's PhysicalIOAdapters after a device move, off the reconcile threads, as {@link StatusWriter} does
 * for DomainConfig status: an assign or a release returns as soon as sysfs and the device journal say it is done, and
 * the cluster learns of it when the API server answers. Requests made while one publish waits coalesce into one more
 * publish, which reads the newest state; a failed publish (server stopped, 5xx, a conflict with an administrator's
 * edit) is tried again, backing off from 1 s to 30 s, until one succeeds.
 */
final class AdapterStatusPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterStatusPublisher.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Runnable publish;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("adapter-publisher").daemon().factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();

    /** @param publish one whole publish of the node's adapters; throws when any write failed */
    AdapterStatusPublisher(Runnable publish) {
        this.publish = publish;
    }

    /** Publish soon; returns at once. */
    void request() {
        if (queued.compareAndSet(false, true)) {
            submit(Duration.ZERO);
        }
    }

    private void submit(Duration delay) {
        try {
            worker.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            queued.set(false); // closed
        }
    }

    private void run() {
        queued.set(false);
        try {
            publish.run();
            failures.set(0);
        } catch (RuntimeException e) {
            int n = failures.incrementAndGet();
            Duration wait = backoff(n);
            LOG.warn("PhysicalIOAdapters not published ({}); trying again in {} s", e.getMessage(), wait.toSeconds());
            if (queued.compareAndSet(false, true)) {
                submit(wait);
            }
        }
    }

    static Duration backoff(int failures) {
        long seconds = FIRST_RETRY.toSeconds() << Math.min(failures - 1, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_RETRY.toSeconds()));
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
