package io.domainoperator.reconciler;

import java.util.Objects;

/**
 * Which backend and which agent started a domain (rule 12), journaled with the create and kept until the domain is
 * destroyed. An agent that restarts on another backend (the node moved from xl to QEMU) cannot see that domain,
 * let alone stop it; the record is how it knows not to boot a second one beside it.
 *
 * @param backend      {@code xl}, {@code qemu} or {@code sim}
 * @param agentVersion the agent's version, for the user's message
 */
public record StartedBy(String backend, String agentVersion) {
    public StartedBy {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(agentVersion, "agentVersion");
    }

    @Override
    public String toString() {
        return "the " + backend + " backend (agent " + agentVersion + ")";
    }
}
