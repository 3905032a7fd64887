package io.domainoperator.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A watch on the namespace's DomainConfigs, as {@code kubectl get dom -w} sees them: for each domain, when its create
 * was sent (recorded by the creator just before the request), when the first event showing phase Running arrived,
 * and how many writes (MODIFIED events) and status changes it took to get there.
 */
public final class DomainWatch implements AutoCloseable {
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private final AtomicLong modified = new AtomicLong();
    private final Watch watch;

    public DomainWatch(BenchCluster cluster) {
        this.watch = cluster.domainConfigs().inNamespace(cluster.namespace()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                onEvent(action, resource, System.nanoTime());
            }

            @Override
            public void onClose(WatcherException cause) {
                System.err.println("bench: the DomainConfig watch closed: " + cause.getMessage());
            }
        });
    }

    /** Called just before the create request leaves. */
    public void creating(String name) {
        Track t = tracks.computeIfAbsent(name, n -> new Track());
        t.createdAt = System.nanoTime();
        synchronized (t) {
            t.timeline.add(java.time.Instant.now() + " create sent");
        }
    }

    private void onEvent(Watcher.Action action, GenericKubernetesResource r, long now) {
        Track t = tracks.computeIfAbsent(r.getMetadata().getName(), n -> new Track());
        synchronized (t) {
            Object status = r.getAdditionalProperties().get("status");
            if (action == Watcher.Action.MODIFIED) {
                modified.incrementAndGet();
                t.writes++;
                if (!Objects.equals(status, t.lastStatus)) {
                    t.statusChanges++;
                }
            }
            t.lastStatus = status;
            if (action == Watcher.Action.DELETED) {
                t.gone = true;
            }
            t.timeline.add(java.time.Instant.now() + " " + action + " phase="
                + (status instanceof Map<?, ?> s ? s.get("phase") : null) + " rv=" + r.getMetadata().getResourceVersion()
                + " finalizers=" + r.getMetadata().getFinalizers());
            if (t.runningAt == 0 && status instanceof Map<?, ?> s && "Running".equals(s.get("phase"))) {
                t.runningAt = now;
                t.writesToRunning = t.writes;
                t.statusChangesToRunning = t.statusChanges;
            }
        }
    }

    /** Every MODIFIED event seen so far, on any DomainConfig of the namespace: the object writes. */
    public long modifiedEvents() {
        return modified.get();
    }

    public int running(List<String> names) {
        int n = 0;
        for (String name : names) {
            Track t = tracks.get(name);
            if (t != null && t.runningAt != 0) {
                n++;
            }
        }
        return n;
    }

    /** Waits until every named domain was seen Running, or the time is up; returns how many were. */
    public int awaitRunning(List<String> names, Duration atMost, AgentUnderTest agent) {
        long deadline = System.nanoTime() + atMost.toNanos();
        int running = running(names);
        while (running < names.size() && System.nanoTime() < deadline) {
            agent.assertAlive();
            AgentUnderTest.sleep(Duration.ofMillis(100));
            running = running(names);
        }
        return running;
    }

    /** Waits until every named DomainConfig was seen deleted, or the time is up; returns how many were. */
    public int awaitGone(List<String> names, Duration atMost, AgentUnderTest agent) {
        long deadline = System.nanoTime() + atMost.toNanos();
        int gone;
        while ((gone = (int) names.stream().map(tracks::get).filter(t -> t != null && t.gone).count()) < names.size()
                && System.nanoTime() < deadline) {
            agent.assertAlive();
            AgentUnderTest.sleep(Duration.ofMillis(100));
        }
        return gone;
    }

    /** Creation-to-Running in milliseconds of each named domain that got there. */
    public List<Double> latenciesMillis(List<String> names) {
        List<Double> out = new ArrayList<>();
        for (String name : names) {
            Track t = tracks.get(name);
            if (t != null && t.runningAt != 0 && t.createdAt != 0) {
                out.add((t.runningAt - t.createdAt) / 1e6);
            }
        }
        return out;
    }

    /** The nanoTime of the last domain's Running event among those named (0 when none). */
    public long lastRunningAt(List<String> names) {
        return names.stream().map(tracks::get).filter(Objects::nonNull).mapToLong(t -> t.runningAt).max().orElse(0);
    }

    /** Per domain that reached Running: {writes to Running, status changes to Running}. */
    public List<int[]> writesToRunning(List<String> names) {
        List<int[]> out = new ArrayList<>();
        for (String name : names) {
            Track t = tracks.get(name);
            if (t != null && t.runningAt != 0) {
                synchronized (t) {
                    out.add(new int[] {t.writesToRunning, t.statusChangesToRunning});
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        watch.close();
    }

    private static final class Track {
        volatile long createdAt;
        volatile long runningAt;
        volatile boolean gone;
        int writes;
        int statusChanges;
        int writesToRunning;
        int statusChangesToRunning;
        Object lastStatus;
        /** What the watch saw of this domain, with wall-clock times: for reading beside the agent's log. */
        final List<String> timeline = new ArrayList<>();
    }

    /** Each named domain's create and watch events with wall-clock times, one block per domain. */
    public void writeTimeline(List<String> names, java.nio.file.Path file) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            Track t = tracks.get(name);
            if (t == null) {
                continue;
            }
            synchronized (t) {
                out.append(name).append(t.runningAt != 0 && t.createdAt != 0
                    ? String.format(" (%.0f ms to Running)", (t.runningAt - t.createdAt) / 1e6) : "").append('\n');
                t.timeline.forEach(l -> out.append("  ").append(l).append('\n'));
            }
        }
        try {
            java.nio.file.Files.writeString(file, out);
        } catch (java.io.IOException e) {
            System.err.println("bench: cannot write " + file + ": " + e.getMessage());
        }
    }
}
