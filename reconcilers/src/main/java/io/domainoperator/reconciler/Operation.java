package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.util.List;
import java.util.Objects;

/**
 * The one micro-operation a decision asks for, in xenopsd's order: prepare disks, assign adapters, create
 * paused, unpause; and shutdown, (wait), destroy, release adapters, clean disks, forget. Every operation is
 * idempotent or refused harmlessly when repeated, because after a crash the engine may ask for it again.
 */
public sealed interface Operation {

    /** Operation name as journaled and logged, e.g. {@code CreatePaused}. */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** Part of booting: a failure counts in {@code bootAttempts} and follows the boot-retry schedule. */
    default boolean isBootStep() {
        return this instanceof PrepareDisks || this instanceof AssignAdapters || this instanceof CreatePaused
            || this instanceof Unpause;
    }

    /** Nothing to do now; look again after {@link Decision#requeueAfter()}. */
    record None() implements Operation {
        static final None INSTANCE = new None();
    }

    /**
     * Make the per-domain copies of the {@code copyOnStart} disks (EVE's {@code <sha>-<uuid>.qcow2}). Copies that
     * already exist are kept as they are: a guest may have written to them. Copy to a temporary name and
     * rename, so that a crash mid-copy leaves no half file under the final name.
     *
     * @param sources {@code disk.source} of each disk to copy
     * @param uuid    the domain uuid that names the copies
     */
    record PrepareDisks(List<String> sources, String uuid) implements Operation {
        public PrepareDisks {
            sources = List.copyOf(sources);
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /** Bind these PhysicalIOAdapters to pciback/vfio-pci and record {@code assignedTo}. Already bound ones are fine. */
    record AssignAdapters(List<String> adapters) implements Operation {
        public AssignAdapters {
            adapters = List.copyOf(adapters);
        }
    }

    /**
     * Create the domain paused ({@code xl create -p}, {@code qemu -S}). The backend must refuse a name that
     * exists already: that refusal is what makes a repeated create after a crash safe.
     *
     * @param name          name on the hypervisor
     * @param uuid          uuid to give it
     * @param spec          the spec to build it from (its disks in spec order)
     * @param pciAddresses  PCI addresses of the assigned adapters, in {@code spec.adapters} order
     */
    record CreatePaused(String name, String uuid, DomainConfigSpec spec, List<String> pciAddresses)
        implements Operation {
        public CreatePaused {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(spec, "spec");
            pciAddresses = List.copyOf(pciAddresses);
        }
    }

    /** Let the vCPUs run: the boot is complete when this succeeds. */
    record Unpause(String name) implements Operation {
        public Unpause {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Ask the guest to shut down (ACPI power button / PV control). The engine times it. */
    record Shutdown(String name) implements Operation {
        public Shutdown {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Forced poweroff and teardown. Destroying a domain that is gone is not an error. */
    record Destroy(String name, DestroyReason reason) implements Operation {
        public Destroy {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Give these adapters back to the host (rebind their drivers) and clear {@code assignedTo}. */
    record ReleaseAdapters(List<String> adapters) implements Operation {
        public ReleaseAdapters {
            adapters = List.copyOf(adapters);
        }
    }

    /** Remove the per-domain disk copies. Only asked for when no domain of this DomainConfig exists. */
    record CleanupDisks(List<String> sources, String uuid) implements Operation {
        public CleanupDisks {
            sources = List.copyOf(sources);
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /**
     * Issue 18, live resize: set a running domain's vCPUs and memory without a restart (xl vcpu-set/mem-set,
     * QEMU CPU hotplug and balloon), within the maxima it booted with. Repeating it is harmless.
     */
    record ResizeLive(String name, int vcpus, int memoryMiB) implements Operation {
        static final String KIND = "ResizeLive";

        public ResizeLive {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Issue 18, spec.desiredState Paused: stop a running domain's vCPUs (xl pause, QMP stop). */
    record Pause(String name) implements Operation {
        static final String KIND = "Pause";

        public Pause {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Issue 18, spec.desiredState back to Running: let a domain we paused run again. Not a boot step. */
    record Resume(String name) implements Operation {
        static final String KIND = "Resume";

        public Resume {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Deletion is complete: remove the finalizer and the journal. */
    record ForgetDomain() implements Operation {
    }

    // ---- Live migration (issue 18). The steps themselves are in MigrationOperations.java, decided by MigrationDecider.

    /** A step of saving a guest to disk and restoring it (issue 18), in SaveRestoreOperations.java. */
    sealed interface SaveRestore extends Operation permits SaveRestoreOperations.SaveToImage,
        SaveRestoreOperations.RestoreFromImage, SaveRestoreOperations.RemoveImage, SaveRestoreOperations.SetAsideImage,
        SaveRestoreOperations.RemoveSetAsideImages, SaveRestoreOperations.ConfirmSavedImage {
    }

    /** A live migration's step on the source or the target node. */
    sealed interface Migration extends Operation permits MigrationOperations.PrepareIncoming,
        MigrationOperations.MigrateOut, MigrationOperations.ResumeIncoming, MigrationOperations.CancelMigration,
        MigrationOperations.ResumeSource, MigrationOperations.DestroyCopy {
    }
}
