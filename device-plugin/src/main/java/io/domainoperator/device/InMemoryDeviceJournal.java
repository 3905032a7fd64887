package io.domainoperator.device;

/** A journal that lives as long as the process: for the simulator backend and for tests. */
public final class InMemoryDeviceJournal implements DeviceJournal {
    private volatile JournalState state = JournalState.EMPTY;

    @Override
    public JournalState load() {
        return state;
    }

    @Override
    public void store(JournalState newState) {
        state = newState;
    }
}
