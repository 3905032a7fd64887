package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** The copies {@link StatusWriter} sends: never the informer's object itself, which other passes read. */
final class StatusCopies {
    private StatusCopies() {
    }

    static DomainConfig withStatus(DomainConfig dc, DomainConfigStatus status) {
        DomainConfig copy = new DomainConfig();
        copy.setMetadata(dc.getMetadata());
        copy.setSpec(dc.getSpec());
        copy.setStatus(status);
        return copy;
    }

    static DomainConfig withVersion(DomainConfig dc, String version) {
        DomainConfig copy = new DomainConfig();
        copy.setMetadata(new ObjectMetaBuilder(dc.getMetadata()).withResourceVersion(version).build());
        copy.setSpec(dc.getSpec());
        copy.setStatus(dc.getStatus());
        return copy;
    }
}
