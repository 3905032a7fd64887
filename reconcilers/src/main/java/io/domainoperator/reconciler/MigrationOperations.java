package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import java.util.Objects;

/**
 * The steps of a live migration ({@link Operation.Migration}), in the order they run: {@link PrepareIncoming} on
 * the target, {@link MigrateOut} on the source, the hand-over (a status write by the source, no operation),
 * {@link ResumeIncoming} on the target and {@link DestroyCopy} of the stopped source. {@link CancelMigration} and
 * {@link ResumeSource} undo a copy that was never handed over. Each is safe to repeat after a crash.
 */
public final class MigrationOperations {
    private MigrationOperations() {
    }

    /**
     * Create the domain paused, waiting for the guest's memory on {@code host:port}.
     *
     * @param uuid the source's domain uuid, kept across the move
     */
    public record PrepareIncoming(String name, String uuid, DomainConfigSpec spec, String host, int port)
        implements Operation.Migration {
        public PrepareIncoming {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(host, "host");
        }
    }

    /** Start copying the running domain to the target's incoming domain at {@code host:port}. */
    public record MigrateOut(String name, String host, int port) implements Operation.Migration {
        public MigrateOut {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
        }
    }

    /** The hand-over's second half: the target lets the guest run. */
    public record ResumeIncoming(String name) implements Operation.Migration {
        public ResumeIncoming {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Stop a copy that has not completed: the migration failed before the hand-over and the source keeps the guest. */
    public record CancelMigration(String name) implements Operation.Migration {
        public CancelMigration {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The copy completed but was never handed over (the migration failed first): the source runs the guest again. */
    public record ResumeSource(String name) implements Operation.Migration {
        public ResumeSource {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Destroy the copy that no longer owns the guest: the stopped source after the hand-over, or the target's
     * incoming domain after a failure before it.
     */
    public record DestroyCopy(String name) implements Operation.Migration {
        public DestroyCopy {
            Objects.requireNonNull(name, "name");
        }
    }
}
