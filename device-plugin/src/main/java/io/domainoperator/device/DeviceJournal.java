package io.domainoperator.device;

/**
 * Durable memory of device moves. {@link #store} must be atomic: after a crash, {@link #load} returns either
 * the previous state or the new one, never a mix.
 */
public interface DeviceJournal {
    JournalState load();

    void store(JournalState state);
}
