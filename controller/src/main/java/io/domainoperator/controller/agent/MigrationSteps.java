package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.HypervisorException;
import io.domainoperator.hypervisor.LiveMigration;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.reconciler.MigrationOperations;
import io.domainoperator.reconciler.Operation;
import java.util.List;
import java.util.UUID;

/** Performs live migration's steps ({@link Operation.Migration}) on this node's backend. */
final class MigrationSteps {
    private final Hypervisor hypervisor;
    private final DiskStore disks;

    MigrationSteps(Hypervisor hypervisor, DiskStore disks) {
        this.hypervisor = hypervisor;
        this.disks = disks;
    }

    /** Returns the incoming domain for PrepareIncoming, else null. */
    DomainInfo perform(Operation.Migration step) {
        LiveMigration live = hypervisor.liveMigration().orElseThrow(() -> new HypervisorException(step.kind(), "-",
            "the " + hypervisor.backendName() + " backend cannot migrate live; run the qemu or xl backend"));
        return switch (step) {
            case MigrationOperations.PrepareIncoming p -> {
                // The disks are the source's own files: live migration copies memory, not storage (shared storage).
                List<String> paths = disks.pathsFor(UUID.fromString(p.uuid()), p.spec());
                yield live.prepareIncoming(DefinitionFromSpec.of(p.name(), UUID.fromString(p.uuid()), p.spec(), paths,
                    List.of()), p.host(), p.port());
            }
            case MigrationOperations.MigrateOut m -> {
                live.migrateOut(m.name(), m.host(), m.port());
                yield null;
            }
            case MigrationOperations.ResumeIncoming r -> {
                live.resume(r.name());
                yield null;
            }
            case MigrationOperations.ResumeSource r -> {
                live.resume(r.name());
                yield null;
            }
            case MigrationOperations.CancelMigration c -> {
                live.cancel(c.name());
                yield null;
            }
            case MigrationOperations.DestroyCopy d -> {
                hypervisor.destroy(d.name());
                yield null;
            }
        };
    }
}
