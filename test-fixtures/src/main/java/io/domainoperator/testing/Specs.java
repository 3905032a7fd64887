package io.domainoperator.testing;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.function.Consumer;

/**
 * Minimal valid DomainConfig specs and objects: what a test does not care about is left to the API's defaults,
 * what it does care about it sets itself.
 */
public final class Specs {
    private Specs() {
    }

    /** displayName {@code name}, 1 vCPU, 128 MiB: valid for the validator and every backend. */
    public static DomainConfigSpec minimal(String name) {
        return minimal(name, 1, 128);
    }

    public static DomainConfigSpec minimal(String name, int vcpus, int memoryMiB) {
        DomainConfigSpec spec = new DomainConfigSpec();
        spec.setDisplayName(name);
        spec.setVcpus(vcpus);
        spec.setMemoryMiB(memoryMiB);
        return spec;
    }

    /** {@link #minimal(String, int, int)} changed by {@code change}. */
    public static DomainConfigSpec minimal(String name, int vcpus, int memoryMiB, Consumer<DomainConfigSpec> change) {
        DomainConfigSpec spec = minimal(name, vcpus, memoryMiB);
        change.accept(spec);
        return spec;
    }

    /** A DomainConfig object {@code namespace/name} holding {@code spec}. */
    public static DomainConfig domainConfig(String namespace, String name, DomainConfigSpec spec) {
        DomainConfig domain = new DomainConfig();
        domain.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        domain.setSpec(spec);
        return domain;
    }
}
