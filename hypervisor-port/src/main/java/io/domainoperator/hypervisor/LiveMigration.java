package io.domainoperator.hypervisor;

/**
 * Live migration between two nodes of the same backend, as a backend that can do it offers it
 * ({@link Hypervisor#liveMigration()}). The calls follow QEMU's and Xen's order: the target is created paused and
 * listening, the source copies to it and stops, the target is resumed, the source destroyed. Each is safe to repeat
 * after an agent restart: the hypervisor keeps the migration's state, not the caller.
 */
public interface LiveMigration {

    /**
     * Creates the domain paused and waiting for the guest's memory on {@code host:port} (QEMU
     * {@code -incoming tcp:HOST:PORT -S}; xl {@code migrate-receive} behind the agents' transport). Refuses a name that
     * exists, as {@link Hypervisor#createPaused} does.
     */
    DomainInfo prepareIncoming(DomainDefinition definition, String host, int port);

    /** Starts copying the running domain {@code name} to a target prepared with {@link #prepareIncoming}. Returns at once. */
    void migrateOut(String name, String host, int port);

    /** The migration's state in domain {@code name} (outgoing on the source, incoming on the target). */
    MigrationProgress progress(String name);

    /** Stops an outgoing copy that has not completed; the source keeps running. Nothing to cancel is fine. */
    void cancel(String name);

    /**
     * Lets the vCPUs run: on the target after the copy completed, or on a source whose copy completed but was
     * never handed over (QEMU's {@code cont} from {@code postmigrate}).
     */
    void resume(String name);
}
