package io.domainoperator.controller.cluster;

import io.domainoperator.api.v1alpha1.DomainConfig;
import java.time.Instant;

/**
 * What one pass wants written for one DomainConfig.
 *
 * @param key        {@code namespace/name}
 * @param assignNode node to place it on (spec.nodeName and the node label), or null
 * @param labelNode  node label value to mirror from a spec.nodeName set by the user, or null
 * @param status     the controller-owned status to merge into the latest status
 */
public record DomainDecision(String key, String assignNode, String labelNode, OwnedStatus status) {
    public String namespace() {
        return key.substring(0, key.indexOf('/'));
    }

    public String name() {
        return key.substring(key.indexOf('/') + 1);
    }

    /** Whether applying this to {@code current} writes anything. */
    boolean needsWrite(DomainConfig current, Instant now) {
        return assignNode != null || labelNode != null
            || status.merge(current == null ? null : current.getStatus(), now) != null;
    }
}
