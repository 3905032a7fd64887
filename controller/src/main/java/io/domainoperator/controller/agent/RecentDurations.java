package io.domainoperator.controller.agent;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How long this node's last hypervisor calls of each kind took, and its looks after them: what a long wait means here.
 * A domain's status says it waits ({@link StatusRefusals#waiting}) when its wait is long for this node, at least
 * {@link #LONG_FACTOR} times the median of the last {@link #WINDOW} of its kind, and never sooner than the agent's
 * floor. A call that hangs while its peers return is singled out as before; a node that is busy (ten thousand creates
 * in a burst, every one of them slow) does not also write a condition on each domain saying what all of them share,
 * one more status write per domain when the API server is the node's bottleneck.
 */
final class RecentDurations {
    static final int WINDOW = 32;
    static final int LONG_FACTOR = 4;
    private final Map<String, Ring> byKind = new HashMap<>();

    private static final class Ring {
        final long[] nanos = new long[WINDOW];
        int size;
        int next;
    }

    /** A call or look of this kind ended after d. */
    synchronized void record(String kind, Duration d) {
        Ring r = byKind.computeIfAbsent(kind, k -> new Ring());
        r.nanos[r.next] = Math.max(0, d.toNanos());
        r.next = (r.next + 1) % WINDOW;
        r.size = Math.min(WINDOW, r.size + 1);
    }

    /** The median of the last ones of kind; zero before any ended. */
    synchronized Duration median(String kind) {
        Ring r = byKind.get(kind);
        if (r == null || r.size == 0) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOf(r.nanos, r.size);
        Arrays.sort(sorted);
        return Duration.ofNanos(sorted[r.size / 2]);
    }

    /** When a wait of kind counts as long: {@link #LONG_FACTOR} times its median, and at least floor. */
    Duration longAfter(String kind, Duration floor) {
        Duration usual = median(kind).multipliedBy(LONG_FACTOR);
        return usual.compareTo(floor) > 0 ? usual : floor;
    }
}
