package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.Hypervisor;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import io.domainoperator.reconciler.Operation;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveSetAsideImages;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage;
import java.util.List;
import java.util.UUID;

/** Performs the engine's save and restore steps (issue 18) on the backend and the save directory. */
final class SaveRestoreSteps {
    private final Hypervisor hypervisor;
    private final DiskStore disks;
    private final SaveImageStore images;

    SaveRestoreSteps(Hypervisor hypervisor, DiskStore disks, SaveImageStore images) {
        this.hypervisor = hypervisor;
        this.disks = disks;
        this.images = images;
    }

    OperationExecutor.Result perform(Operation.SaveRestore op) {
        if (images == null) {
            throw new IllegalStateException(op.kind() + ": this agent has no save directory");
        }
        return switch (op) {
            case SaveToImage s -> new OperationExecutor.Result(null, images.save(hypervisor, s.name(), s.image()));
            case RestoreFromImage r -> {
                // The same disks as the domain that was saved: a copyOnStart copy is the one it wrote to.
                List<String> paths = disks.pathsFor(UUID.fromString(r.uuid()), r.spec());
                yield new OperationExecutor.Result(images.restore(hypervisor, DefinitionFromSpec.of(r.name(),
                    UUID.fromString(r.uuid()), r.spec(), paths, r.pciAddresses()), r.image(), r.sha256()), null);
            }
            case RemoveImage r -> {
                if (!r.journaledComplete()) {
                    refuseIfOnlyCopy(r);
                }
                images.remove(r.image());
                yield OperationExecutor.Result.NOTHING;
            }
            case SetAsideImage a -> {
                images.setAside(a.image(), a.asideAs());
                yield OperationExecutor.Result.NOTHING;
            }
            case RemoveSetAsideImages r -> {
                images.removeSetAside(r.image());
                yield OperationExecutor.Result.NOTHING;
            }
            case ConfirmSavedImage c -> new OperationExecutor.Result(null, confirmed(c));
        };
    }

    /**
     * A save whose outcome was never journaled: its image counts as the save's only once it is complete (published
     * under its own name) and no domain of that name is alive; then it is measured for the journal, as after a save.
     */
    private SaveImageStore.Written confirmed(ConfirmSavedImage c) {
        if (!images.isComplete(c.image())) {
            throw new IllegalStateException("no complete save image " + images.path(c.image()) + " (the save of "
                + c.domain() + " did not finish" + (images.hasPartial(c.image()) ? ": only a partial one" : "") + ")");
        }
        if (alive(c.domain())) {
            throw new IllegalStateException("domain " + c.domain() + " still runs: its save to " + images.path(c.image())
                + " did not finish");
        }
        return SaveImageStore.measure(images.path(c.image()));
    }

    private boolean alive(String domain) {
        return hypervisor.listDomains().stream().anyMatch(d -> d.name().equals(domain)
            && !d.state().hasStopped() && !d.state().dying());
    }

    /**
     * The engine removes an image whose save was never journaled complete on the strength of a look that may be
     * stale: the save may have finished since (the domain ended, the image renamed into place). A complete image with
     * no domain of that name alive now holds the guest's only copy: it is kept, and the failure sends the engine to
     * the restore.
     */
    private void refuseIfOnlyCopy(RemoveImage r) {
        if (!images.isComplete(r.image())) {
            return;
        }
        if (!alive(r.domain())) {
            throw new IllegalStateException("refusing to remove the save image " + images.path(r.image())
                + ": its save was never journaled complete, yet the file is a complete save and no domain "
                + r.domain() + " runs, so it may hold the guest's only copy; it is kept for the restore");
        }
    }
}
