package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;

/**
 * Rule 11: memory admission. A boot step runs only when the domain's maximum memory fits in what the node has
 * free minus what other domains being started have reserved. Otherwise the domain is Pending with reason
 * InsufficientMemory and the three figures, and is decided again every poll, so it boots as soon as memory frees
 * up; no boot attempt is spent and no boot-retry backoff starts (an opaque create failure would do both). The
 * maximum, not the initial memory, is what the cluster controller's placement counts too: a balloon may grow to it.
 */
final class MemoryRules {
    private static final long MIB = 1024L * 1024L;

    private MemoryRules() {
    }

    /** Null when the domain fits (or nothing is known), else the Pending verdict with the figures. */
    static Verdict admit(Situation s) {
        long needed = NodeMemory.neededBytes(s.spec);
        NodeMemory m = s.memory;
        if (m.fits(needed)) {
            return null;
        }
        String message = "needs " + mib(needed) + " MiB (spec." + (s.spec.getMaxMemoryMiB() != null ? "maxMemoryMiB"
            : "memoryMiB") + "), the node has " + mib(Math.max(0, m.freeBytes())) + " MiB free of which "
            + mib(m.reservedBytes()) + " MiB are reserved for domains being started: " + mib(m.availableBytes())
            + " MiB available; it boots when memory frees up (or lower the domain's memory, or place it on another node)";
        return Verdict.await(DomainPhase.Pending, Reasons.INSUFFICIENT_MEMORY, message, s.knobs.pollInterval());
    }

    private static long mib(long bytes) {
        return bytes / MIB;
    }
}
