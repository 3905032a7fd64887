package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.util.List;
import java.util.Objects;

/**
 * The steps of saving a guest to disk and bringing it back ({@link Operation.SaveRestore}), in the order they run:
 * {@link SaveToImage} (the domain ends; {@link ConfirmSavedImage} records it when its outcome was lost),
 * {@link RestoreFromImage} (the domain exists again, paused; then the usual Unpause), {@link RemoveImage} once it runs. {@link SetAsideImage} keeps an image a restore failed on under another
 * name before the fallback boot. Each is safe to repeat after a crash, and none deletes an image that still holds the
 * only copy of a guest.
 */
public final class SaveRestoreOperations {
    private SaveRestoreOperations() {
    }

    /**
     * Save the domain's memory and device state to {@code image} in the save directory and end the domain (xl save;
     * QEMU: stop, migrate to the file, quit). The agent writes to a temporary name and renames, so a complete image
     * exists under {@code image} only once the save succeeded.
     */
    public record SaveToImage(String name, String image, SaveImage.Cause cause) implements Operation.SaveRestore {
        static final String KIND = "SaveToImage";

        public SaveToImage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * A save's outcome was never journaled (the agent died after the save, before recording it) and no domain of
     * that name is seen: check that {@code image} is a complete save (the agent publishes an image under its own name
     * only once the save succeeded) and that no domain {@code domain} is alive, and measure it, so that the save is
     * recorded done with the size and checksum a restore checks. A failure (no complete image, or the domain alive)
     * records the save as not finished; nothing is changed on the node.
     *
     * @param domain the saved domain's name on the hypervisor
     */
    public record ConfirmSavedImage(String domain, String image) implements Operation.SaveRestore {
        static final String KIND = "ConfirmSavedImage";

        public ConfirmSavedImage {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(image, "image");
        }
    }

    /**
     * Create the domain from {@code image} instead of booting it, paused (xl restore -p; QEMU -incoming). The agent
     * checks the image's checksum first when one is known. A failure leaves nothing running and the image untouched.
     *
     * @param sha256 the checksum journaled after the save, or null when the save's outcome was never journaled
     */
    public record RestoreFromImage(String name, String uuid, DomainConfigSpec spec, List<String> pciAddresses,
                                   String image, String sha256) implements Operation.SaveRestore {
        static final String KIND = "RestoreFromImage";

        public RestoreFromImage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(image, "image");
            pciAddresses = List.copyOf(pciAddresses);
        }
    }

    /**
     * The guest runs again from the image, or a save did not finish: remove the image (a missing one is fine).
     *
     * @param domain            the domain's name on the hypervisor
     * @param journaledComplete whether the journal recorded the save complete. When it did not, the engine decided
     *                          from a look that may be stale, so the agent checks the node first: a complete image
     *                          with no domain of that name alive is the guest's only copy and is not removed
     */
    public record RemoveImage(String image, String domain, boolean journaledComplete)
        implements Operation.SaveRestore {
        static final String KIND = "RemoveImage";

        public RemoveImage {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(domain, "domain");
        }
    }

    /**
     * Move an image aside to {@code asideAs} (a missing one, or a partial file of an unfinished save, is fine): a
     * restore from it failed, or the domain is halted while saved, and the domain is to boot afresh.
     */
    public record SetAsideImage(String image, String asideAs, String cause) implements Operation.SaveRestore {
        public SetAsideImage {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(asideAs, "asideAs");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * The DomainConfig is deleted (and spec.keepDisksOnDelete is not set): remove the images set aside for it (after a
     * failed restore, or a halt while saved), {@code image}{@code .*} in the save directory. Decided only once no image
     * of it holds the guest; a missing file is fine.
     *
     * @param image the DomainConfig's image name, whose set-aside copies carry it as their prefix
     */
    public record RemoveSetAsideImages(String image) implements Operation.SaveRestore {
        public RemoveSetAsideImages {
            Objects.requireNonNull(image, "image");
        }
    }
}
