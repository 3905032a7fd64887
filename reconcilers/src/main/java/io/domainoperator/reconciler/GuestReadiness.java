package io.domainoperator.reconciler;

import java.util.Objects;

/**
 * What the node agent's readiness probe last found for a domain's guest (spec.readinessProbe), for the boot with
 * {@code domainId}: a result about an earlier boot of the domain is not about this one. The engine turns it into
 * the GuestReady condition; the probing itself (sockets, console logs) is the agent's.
 *
 * @param state    READY, NOT_READY, or UNKNOWN while no probe has answered for this boot
 * @param message  what the probe saw, for the condition's message
 * @param domainId the domain id of the boot the result is about
 */
public record GuestReadiness(State state, String message, int domainId) {
    public enum State { READY, NOT_READY, UNKNOWN }

    private static final GuestReadiness UNPROBED = new GuestReadiness(State.UNKNOWN, "no probe has run yet", -1);

    public GuestReadiness {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
    }

    /** No result yet. */
    public static GuestReadiness unknown() {
        return UNPROBED;
    }

    /** Whether this result says the guest of boot {@code domainId} is ready. */
    boolean readyFor(int currentDomainId) {
        return state == State.READY && domainId == currentDomainId;
    }

    /** The message for the current boot: a result about another boot means no probe has answered yet. */
    String messageFor(int currentDomainId) {
        return domainId == currentDomainId ? message : UNPROBED.message;
    }
}
