package io.domainoperator.device;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the plugin must remember across a restart of the agent (not of the node: the journal lives on tmpfs,
 * because the kernel forgets driver bindings at reboot too).
 *
 * @param pending     the move in flight, or null
 * @param holders     PCI address to the domain (ns/name) holding it
 * @param hostDrivers PCI address to the host driver it had before it went to the passthrough driver, so that
 *                    release can bind that driver when a plain re-probe does not
 */
public record JournalState(PendingMove pending, Map<String, String> holders, Map<String, String> hostDrivers) {
    public static final JournalState EMPTY = new JournalState(null, Map.of(), Map.of());

    public JournalState {
        holders = Map.copyOf(Objects.requireNonNullElse(holders, Map.of()));
        hostDrivers = Map.copyOf(Objects.requireNonNullElse(hostDrivers, Map.of()));
    }

    JournalState withPending(PendingMove move) {
        return new JournalState(move, holders, hostDrivers);
    }

    JournalState withHolders(Map<String, String> newHolders) {
        return new JournalState(pending, newHolders, hostDrivers);
    }

    JournalState withHostDriver(String address, String driver) {
        Map<String, String> m = new HashMap<>(hostDrivers);
        m.put(address, driver);
        return new JournalState(pending, holders, m);
    }
}
