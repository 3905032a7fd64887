package io.domainoperator.controller.journal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Entries a {@link FileJournalStore} holds in memory that are not yet on disk, and the thread that writes them a
 * moment later ({@link #DELAY}) unless a durable save of the same key has written them first. Only an operation's
 * outcome is ever written behind, never an intent: the intent is on disk before the call, so an outcome that has not
 * reached disk when the process dies leaves the journal as a process killed during the call does, which the engine
 * already takes for an interrupted call and checks against the hypervisor ({@code CrashMatrixIT}'s
 * {@code CREATE_PAUSED_AFTER} and {@code UNPAUSE_AFTER}). The next intent of the domain (an unpause right after its
 * create) carries the outcome to disk with it, so the boot path waits for two journal writes instead of four.
 *
 * <p>Writes of one key are ordered by its lock ({@link #lockFor}): a durable save and a write behind of the same key
 * never interleave, and a write behind never puts an older entry over a newer one.
 */
final class WriteBehind implements AutoCloseable {
    /** Long enough that a domain's next intent, decided right after the call, usually supersedes the write. */
    static final Duration DELAY = Duration.ofSeconds(1);
    /** After a failed write (a full or read-only state directory), the next try. */
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final int STRIPES = 256;
    private final List<ReentrantLock> locks = IntStream.range(0, STRIPES).mapToObj(i -> new ReentrantLock()).toList();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor writer;
    /** Writes the key's entry as the store holds it now; false when the write failed (the store says why). */
    private final Predicate<String> write;

    WriteBehind(Predicate<String> write) {
        this.write = write;
        this.writer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("journal-write-behind").daemon().factory());
        this.writer.setRemoveOnCancelPolicy(true);
    }

    /** Held around every write, load and cache change of key, so that they happen in one order. */
    ReentrantLock lockFor(String key) {
        return locks.get(Math.floorMod(key.hashCode(), STRIPES));
    }

    /** Key's entry in memory is newer than its file; called under its lock. */
    void schedule(String key) {
        if (pending.add(key)) {
            later(key, DELAY);
        }
    }

    /**
     * Nothing of key waits any more: its file holds its newest entry (a durable save or a delete), or its entry was
     * dropped from memory (a failed save); called under its lock.
     */
    void settled(String key) {
        pending.remove(key);
    }

    boolean isPending(String key) {
        return pending.contains(key);
    }

    int pendingCount() {
        return pending.size();
    }

    /** Writes key's entry now if it is still waiting. */
    void flush(String key) {
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            if (!pending.contains(key)) {
                return; // superseded by a durable save, or already written
            }
            if (write.test(key)) {
                pending.remove(key);
            } else {
                later(key, RETRY);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes every waiting entry now, on the caller's thread: at shutdown, and for tests. */
    void flushAll() {
        for (String key : List.copyOf(pending)) {
            flush(key);
        }
    }

    /** Called under key's lock. */
    private void later(String key, Duration after) {
        try {
            writer.schedule(() -> flush(key), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed (callers hold key's lock): written now, as close() may have written the others already.
            if (write.test(key)) {
                pending.remove(key);
            }
        }
    }

    /** Writes what is still waiting, then stops the thread. */
    @Override
    public void close() {
        writer.shutdownNow();
        flushAll();
    }
}
