package io.domainoperator.controller.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-domain exponential backoff for writes the API server keeps refusing (a 422, a webhook, RBAC): without
 * it every lease renewal or status change in the fleet would trigger another doomed attempt, many a second.
 */
final class WriteBackoff {
    private record Entry(int failures, Instant until) {
    }

    private final Duration first;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    WriteBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    /** Whether key's writes should wait at now. */
    boolean holds(String key, Instant now) {
        Entry e = entries.get(key);
        return e != null && now.isBefore(e.until());
    }

    void failed(String key, Instant now) {
        entries.compute(key, (k, e) -> {
            int failures = e == null ? 1 : e.failures() + 1;
            Duration delay = first.multipliedBy(1L << Math.min(failures - 1, 20));
            return new Entry(failures, now.plus(delay.compareTo(max) > 0 ? max : delay));
        });
    }

    void succeeded(String key) {
        entries.remove(key);
    }
}
