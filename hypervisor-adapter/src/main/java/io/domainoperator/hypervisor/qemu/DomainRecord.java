package io.domainoperator.hypervisor.qemu;

import io.domainoperator.hypervisor.DomainDefinition;
import java.util.List;
import java.util.Objects;

/**
 * What this backend launched for one domain, persisted as {@code domain.json} in its runtime directory.
 * It is how a restarted agent knows a QEMU process as its own and reports the domain without the spec.
 *
 * @param domainId    the number reported as {@link io.domainoperator.hypervisor.DomainInfo#domainId()}
 * @param accelerator KVM or TCG, as launched
 * @param argv        the full QEMU command line
 * @param definition  the definition it was created from
 */
record DomainRecord(int domainId, String accelerator, List<String> argv, DomainDefinition definition) {
    DomainRecord {
        Objects.requireNonNull(accelerator, "accelerator");
        argv = List.copyOf(argv);
        Objects.requireNonNull(definition, "definition");
    }

    String name() {
        return definition.name();
    }
}
