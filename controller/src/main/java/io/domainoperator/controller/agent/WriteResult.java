package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;

/** How the API server answered one of {@link StatusWriter}'s writes (a status, or the finalizer). */
sealed interface WriteResult {
    record Landed(DomainConfig stored) implements WriteResult {
    }

    record Conflict() implements WriteResult {
    }

    record Gone() implements WriteResult {
    }

    /** refused: the server will not take this request as it is (422); sending it again would not help. */
    record Failed(String why, boolean refused) implements WriteResult {
    }
}
