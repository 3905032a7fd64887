package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DesiredState;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.HostShutdownPolicy;
import io.domainoperator.reconciler.ModelNode.Config;
import io.domainoperator.reconciler.ModelNode.Fault;
import io.domainoperator.reconciler.SaveRestoreOperations.ConfirmSavedImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveImage;
import io.domainoperator.reconciler.SaveRestoreOperations.RemoveSetAsideImages;
import io.domainoperator.reconciler.SaveRestoreOperations.RestoreFromImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SaveToImage;
import io.domainoperator.reconciler.SaveRestoreOperations.SetAsideImage;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The save directory of the model node (issue 18): files by name, each holding a guest (a token naming one guest's
 * memory), and which running domain holds which guest. Performs the engine's save and restore steps with the faults
 * of {@link ModelNode}, and checks on every step that a guest's image is never removed or overwritten while it is
 * the guest's only copy, and never deleted when set aside.
 */
final class ModelSaveImages {
    /** File name (per owner: the save directory is the node's, names carry the owner's uuid) to the guest it holds. */
    final Map<String, String> files = new HashMap<>();
    private final Map<ModelHypervisor.Dom, String> guestOf = new IdentityHashMap<>();
    /** Guests that ran again after a restore: their images are stale (the disks moved on) and never restored. */
    private final java.util.Set<String> ranSinceRestore = new java.util.HashSet<>();
    private int guests;
    private final ModelNode node;

    ModelSaveImages(ModelNode node) {
        this.node = node;
    }

    private String file(Config c, String image) {
        return c.key() + "|" + image;
    }

    io.domainoperator.hypervisor.DomainInfo perform(Config c, Operation.SaveRestore op, Fault fault) {
        ModelHypervisor hv = node.hv;
        switch (op) {
            case SaveToImage s -> {
                ModelHypervisor.Dom d = hv.existing(s.name());
                if (!d.owner.equals(c.key())) {
                    node.violation(c.key() + " saved " + s.name() + ", a domain of " + d.owner);
                }
                if (fault == Fault.OPERATION_FAILS || fault == Fault.CREATE_FAILS_HALF_WAY) {
                    hv.pause(s.name()); // QEMU stops the vCPUs first; a failed migration leaves them stopped
                    throw new ModelHypervisor.Failure("injected failure of " + op.kind());
                }
                String guest = guestOf.computeIfAbsent(d, x -> "guest-" + (++guests));
                if (ranSinceRestore.contains(guest)) {
                    guest = "guest-" + (++guests); // it ran on since its restore: this save is a new state of it
                }
                String f = file(c, s.image());
                String there = files.get(f);
                if (there != null && !there.equals(guest) && !heldByADomain(there) && !ranSinceRestore.contains(there)) {
                    node.violation("the save of " + s.name() + " overwrote " + f + ", the only copy of " + there);
                }
                files.put(f, guest);
                guestOf.remove(d);
                hv.destroy(s.name());
            }
            case RestoreFromImage r -> {
                String guest = files.get(file(c, r.image()));
                if (guest != null && ranSinceRestore.contains(guest)) {
                    node.violation(c.key() + " restored " + r.image() + ", stale: the guest restored from it ran since");
                }
                if (fault == Fault.OPERATION_FAILS || guest == null) {
                    throw new ModelHypervisor.Failure(guest == null ? "no image " + r.image() : "image corrupt");
                }
                if (r.sha256() == null) {
                    node.violation(c.key() + " restored from " + r.image() + " without checking its checksum");
                } else if (!r.sha256().equals(checksum(guest))) {
                    throw new ModelHypervisor.Failure("image corrupt: its checksum is " + checksum(guest));
                }
                hv.createPaused(new Operation.CreatePaused(r.name(), r.uuid(), r.spec(), r.pciAddresses()),
                    c.key(), false);
                ModelHypervisor.Dom d = hv.existing(r.name());
                d.cpu = 1_000_000; // the guest ran before it was saved
                guestOf.put(d, guest);
                return d.info();
            }
            case RemoveImage r -> {
                if (fault == Fault.OPERATION_FAILS) {
                    throw new ModelHypervisor.Failure("injected failure of " + op.kind());
                }
                String f = file(c, r.image());
                String guest = files.get(f);
                if (!r.journaledComplete() && guest != null && !alive(r.domain())) {
                    // As the agent does (SaveRestoreSteps): a complete image no live domain holds is kept.
                    throw new ModelHypervisor.Failure("refusing to remove " + r.image() + ": it may hold the guest");
                }
                if (guest != null && !ranSinceRestore.contains(guest)
                    && hv.ownedBy(c.key()).stream().noneMatch(d -> d.up() && guest.equals(guestOf.get(d)))) {
                    node.violation(f + " removed while no running domain of " + c.key() + " holds " + guest);
                }
                files.remove(f);
            }
            case RemoveSetAsideImages r -> {
                if (fault == Fault.OPERATION_FAILS) {
                    throw new ModelHypervisor.Failure("injected failure of " + op.kind());
                }
                if (!c.deleted) {
                    node.violation(c.key() + ": set-aside images removed while its DomainConfig exists");
                }
                String live = file(c, r.image());
                if (files.containsKey(live) && hv.ownedBy(c.key()).stream().noneMatch(ModelHypervisor.Dom::up)) {
                    node.violation(live + " removed with the set-aside images while it holds the guest");
                }
                files.keySet().removeIf(f -> f.startsWith(live + "."));
            }
            case ConfirmSavedImage cf -> {
                if (fault == Fault.OPERATION_FAILS) {
                    throw new ModelHypervisor.Failure("injected failure of " + op.kind());
                }
                if (!files.containsKey(file(c, cf.image()))) {
                    throw new ModelHypervisor.Failure("no complete image " + cf.image());
                }
                if (alive(cf.domain())) {
                    throw new ModelHypervisor.Failure("domain " + cf.domain() + " still runs");
                }
            }
            case SetAsideImage a -> {
                if (fault == Fault.OPERATION_FAILS) {
                    throw new ModelHypervisor.Failure("injected failure of " + op.kind());
                }
                String guest = files.remove(file(c, a.image()));
                if (guest != null) {
                    String before = files.put(file(c, a.asideAs()), guest);
                    if (before != null && !before.equals(guest)) {
                        node.violation("setting aside " + a.image() + " replaced " + a.asideAs());
                    }
                }
            }
        }
        return null;
    }

    /** A domain is set running (unpaused or resumed): a guest restored into it moves on from its image. */
    void running(ModelHypervisor.Dom d) {
        String guest = guestOf.get(d);
        if (guest != null) {
            ranSinceRestore.add(guest);
        }
    }

    private boolean alive(String name) {
        return node.hv.domains().stream().anyMatch(d -> d.name.equals(name) && d.up());
    }

    /** The image's checksum as the agent measures it: the guest it holds stands for its bytes. */
    private static String checksum(String guest) {
        return "sha-" + guest;
    }

    /** After a save, or a confirmation of one, succeeded: the agent journals the image's size and checksum. */
    Journal measured(Config c, Operation op, Journal j) {
        String image = switch (op) {
            case SaveToImage s -> s.image();
            case ConfirmSavedImage cf -> cf.image();
            default -> null;
        };
        String guest = image == null ? null : files.get(file(c, image));
        return guest == null ? j : SaveImageJournal.checked(j, 4096, checksum(guest));
    }

    private boolean heldByADomain(String guest) {
        return guestOf.entrySet().stream().anyMatch(e -> guest.equals(e.getValue())
            && node.hv.domains().contains(e.getKey()));
    }

    /** Guests of destroyed domains end with them (a halt, a crash's restart): forget the domains. */
    void forgetGone() {
        guestOf.keySet().removeIf(d -> !node.hv.domains().contains(d));
    }

    /** Live images (not set aside) of one DomainConfig. */
    List<String> liveImages(Config c) {
        return files.keySet().stream().filter(f -> f.startsWith(c.key() + "|") && f.endsWith(".save")).toList();
    }

    /**
     * The node shuts down (the host unit's halt-all): each domain whose spec says Save is saved as the agent's
     * ShutdownHalt does it, through the engine's {@link SaveRestoreRules#atHostShutdown}, its intent journaled before
     * and its outcome after; {@code fault} may kill the agent at either point. Halt domains are left to the loop.
     */
    void hostShutdown(Fault fault) {
        node.configs.values().forEach(c -> c.restarted = true); // the node goes down: the next agent looks afresh
        for (Config c : node.configs.values()) {
            if (c.forgotten || c.deleted) {
                continue;
            }
            Optional<SaveToImage> save = SaveRestoreRules.atHostShutdown(c.spec,  c.journal,
                node.hv.lookup(DomainDecider.hypervisorName(c.desired(), c.journal)).orElse(null));
            if (save.isEmpty()) {
                continue;
            }
            c.quiet = false; // the node saved it outside a decision: the next one reports it
            c.journal = c.journal.withIntent(save.get(), node.now);
            if (fault == Fault.KILLED_BEFORE_EFFECT) {
                return;
            }
            try {
                perform(c, save.get(), fault);
                if (fault == Fault.KILLED_AFTER_EFFECT) {
                    return;
                }
                c.journal = measured(c, save.get(), c.journal.withSuccess(save.get(), node.now, null));
            } catch (ModelHypervisor.Failure e) {
                c.journal = c.journal.withFailure(save.get(), e.getMessage(), node.now);
            }
        }
    }

    /** Spec Suspended: no domain, at most one live image, phase Suspended. Null when so. */
    String suspendedNotConverged(Config c, List<ModelHypervisor.Dom> mine) {
        if (!mine.isEmpty()) {
            return "Suspended but domains are " + mine.stream().map(d -> d.name + ":" + d.state).toList();
        }
        if (liveImages(c).size() > 1) {
            return "Suspended with images " + liveImages(c);
        }
        if (c.status == null || c.status.getPhase() != DomainPhase.Suspended
            || c.status.getObservedGeneration() != c.generation) {
            return "Suspended, but status is " + c.status;
        }
        return null;
    }

    /** Any other spec: no live image is left once converged (restored, or set aside). Null when so. */
    String leftOver(Config c) {
        if (!liveImages(c).isEmpty()) {
            return "images left: " + liveImages(c);
        }
        if (c.journal.saveImage() != null && c.journal.saveImage().holdsGuest() && !suspendWished(c)) {
            // A save killed before its effect leaves only the intent: the engine still has to clear it.
            return "the journal still records image " + c.journal.saveImage();
        }
        String ready = c.status == null ? null : c.status.condition(io.domainoperator.api.v1alpha1.Conditions.READY)
            .getReason();
        boolean transient_ = SaveRestoreRules.RESTORED.equals(ready) || SaveRestoreRules.SAVING.equals(ready);
        return transient_ ? "the status still says " + ready : null;
    }

    static boolean suspendWished(Config c) {
        return c.spec.desiredStateOrDefault() == DesiredState.Suspended;
    }

    /** Some DomainConfigs save at the node's shutdown: those without adapters, every other one. */
    static void policy(Config c, int index) {
        if (index % 2 == 0 && c.spec.getAdapters().isEmpty()) {
            c.spec.setOnHostShutdown(HostShutdownPolicy.Save);
        }
    }

    static boolean refusesSuspend(Config c) {
        return !c.spec.getAdapters().isEmpty();
    }
}
