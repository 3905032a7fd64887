package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.ConsoleStatus;
import io.domainoperator.api.v1alpha1.SerialConsoleStatus;
import io.domainoperator.api.v1alpha1.VncConsoleStatus;
import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.domainoperator.hypervisor.ConsoleEndpoints;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.reconciler.Operation;
import java.util.List;
import java.util.UUID;

/**
 * Performs one {@link Operation} the engine decided: the only place where decisions touch the hypervisor, the
 * disks and the devices. Each case is idempotent, as the engine may ask again after a crash.
 */
public final class OperationExecutor {
    private final Hypervisor hypervisor;
    private final DiskStore disks;
    private final AdapterAssigner adapters;
    private final SaveRestoreSteps saveRestore;

    public OperationExecutor(Hypervisor hypervisor, DiskStore disks, AdapterAssigner adapters) {
        this(hypervisor, disks, adapters, null);
    }

    /** images: the save directory (issue 18); null refuses save and restore. */
    public OperationExecutor(Hypervisor hypervisor, DiskStore disks, AdapterAssigner adapters, SaveImageStore images) {
        this.hypervisor = hypervisor;
        this.disks = disks;
        this.adapters = adapters;
        this.saveRestore = new SaveRestoreSteps(hypervisor, disks, images);
    }

    /**
     * What is on this node for the domain, for status: the disk paths in use that exist (copies and in-place
     * sources), the backend's config file and, while the domain exists, its consoles.
     */
    public void describeOnNode(String uuid, String hypervisorName, io.domainoperator.api.v1alpha1.DomainConfigSpec spec,
                               io.domainoperator.api.v1alpha1.DomainConfigStatus status) {
        status.setDiskPaths(uuid == null ? List.of() : disks.pathsOnNode(UUID.fromString(uuid), spec));
        status.setConfigFile(hypervisorName == null ? null : hypervisor.configFileOf(hypervisorName).orElse(null));
        status.setConsole(hypervisorName == null || status.getDomainId() == null ? null
            : hypervisor.consoles(hypervisorName, status.getDomainId()).filter(c -> !c.isEmpty())
                .map(OperationExecutor::consoleStatus).orElse(null));
    }

    private static ConsoleStatus consoleStatus(ConsoleEndpoints c) {
        boolean serial = c.serialPty() != null || c.serialSocket() != null || c.serialLog() != null;
        boolean vnc = c.vncPort() != null;
        return new ConsoleStatus(serial ? new SerialConsoleStatus(c.serialPty(), c.serialSocket(), c.serialLog()) : null,
            vnc ? new VncConsoleStatus(c.vncListen(), c.vncPort(), c.vncDisplay()) : null);
    }

    /** Who holds the adapter, as the node knows it ({@link AdapterAssigner#holderOf}). */
    String holderOf(io.domainoperator.api.v1alpha1.PhysicalIOAdapter adapter) {
        return adapters.holderOf(adapter);
    }

    /** What an operation produced, for the journal: a created (or restored) domain, a written save image. */
    public record Result(DomainInfo created, SaveImageStore.Written image) {
        static final Result NOTHING = new Result(null, null);

        public Result(DomainInfo created) {
            this(created, null);
        }
    }

    /** The port's definition of a create, given the resolved disk paths (per-domain copies where copyOnStart). */
    static DomainDefinition definitionOf(Operation.CreatePaused create, List<String> diskPaths) {
        return DefinitionFromSpec.of(create.name(), UUID.fromString(create.uuid()), create.spec(), diskPaths,
            create.pciAddresses());
    }

    public Result execute(String domainKey, Operation operation) {
        CrashSwitch.reached(CrashPoint.before(operation));
        Result result = effect(domainKey, operation);
        CrashSwitch.reached(CrashPoint.after(operation));
        return result;
    }

    private Result effect(String domainKey, Operation operation) {
        return switch (operation) {
            case Operation.None none -> Result.NOTHING;
            case Operation.PrepareDisks p -> {
                disks.prepare(UUID.fromString(p.uuid()), p.sources());
                yield Result.NOTHING;
            }
            case Operation.AssignAdapters a -> {
                adapters.assign(domainKey, a.adapters());
                yield Result.NOTHING;
            }
            case Operation.CreatePaused c -> {
                disks.checkInPlace(c.spec());
                adapters.confirmHeld(domainKey, c.pciAddresses());
                List<String> paths = disks.pathsFor(UUID.fromString(c.uuid()), c.spec());
                yield new Result(hypervisor.createPaused(definitionOf(c, paths)));
            }
            case Operation.Unpause u -> {
                hypervisor.unpause(u.name());
                yield Result.NOTHING;
            }
            case Operation.Shutdown s -> {
                hypervisor.requestShutdown(s.name());
                yield Result.NOTHING;
            }
            case Operation.Pause p -> {
                hypervisor.pause(p.name());
                yield Result.NOTHING;
            }
            case Operation.Resume r -> {
                hypervisor.unpause(r.name());
                yield Result.NOTHING;
            }
            case Operation.ResizeLive r -> {
                hypervisor.resizeLive(r.name(), r.vcpus(), r.memoryMiB());
                yield Result.NOTHING;
            }
            case Operation.Destroy d -> {
                hypervisor.destroy(d.name());
                yield Result.NOTHING;
            }
            case Operation.ReleaseAdapters r -> {
                adapters.release(domainKey, r.adapters());
                yield Result.NOTHING;
            }
            case Operation.CleanupDisks c -> {
                disks.cleanup(UUID.fromString(c.uuid()), c.sources());
                yield Result.NOTHING;
            }
            case Operation.ForgetDomain f -> Result.NOTHING;
            case Operation.SaveRestore sr -> {
                if (sr instanceof io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage r) {
                    adapters.confirmHeld(domainKey, r.pciAddresses());
                }
                yield saveRestore.perform(sr);
            }
            case Operation.Migration m -> new Result(new MigrationSteps(hypervisor, disks).perform(m));
        };
    }
}
