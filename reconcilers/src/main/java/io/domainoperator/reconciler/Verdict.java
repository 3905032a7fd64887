package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainPhase;
import java.time.Duration;
import java.time.Instant;

/**
 * What one rule concluded: the operation, the phase and the Ready condition's reason and message, when to look
 * again. {@link StatusBuilder} turns it into the full status.
 *
 * @param nextBootRetry when the next boot attempt is due, while waiting for one (status.nextBootRetryTime)
 */
record Verdict(Operation operation, DomainPhase phase, String reason, String message, Duration requeueAfter,
               Instant nextBootRetry) {

    /** Perform {@code op} and look again right away. */
    static Verdict act(Operation op, DomainPhase phase, String reason, String message) {
        return new Verdict(op, phase, reason, message, Duration.ZERO, null);
    }

    /** Nothing to do; look again after {@code requeue}. */
    static Verdict await(DomainPhase phase, String reason, String message, Duration requeue) {
        return new Verdict(Operation.None.INSTANCE, phase, reason, message, requeue, null);
    }

    /** Nothing to do until {@code deadline}. Never requeues in the past or at zero (that would spin). */
    static Verdict awaitUntil(DomainPhase phase, String reason, String message, Instant now, Instant deadline) {
        return await(phase, reason, message, until(now, deadline));
    }

    Verdict withNextBootRetry(Instant at) {
        return new Verdict(operation, phase, reason, message, requeueAfter, at);
    }

    static Duration until(Instant now, Instant deadline) {
        Duration d = Duration.between(now, deadline);
        return d.compareTo(MIN_REQUEUE) < 0 ? MIN_REQUEUE : d;
    }

    private static final Duration MIN_REQUEUE = Duration.ofMillis(100);
}
