package io.domainoperator.reconciler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Status timestamps: RFC 3339 in UTC with whole seconds, as Kubernetes writes them. */
final class Times {
    private Times() {
    }

    static String rfc3339(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
