package io.domainoperator.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the plugin must remember across a restart of the agent (not of the node: the journal lives on tmpfs,
 * because the kernel forgets driver bindings at reboot too).
 *
 * <p>Moves of unrelated IOMMU groups run at once ({@link GroupLocks}), each with its own record: the first in
 * {@code pending} (the field agents before parallel moves wrote and read), the others in {@code alongside}.
 *
 * @param pending     a move in flight, or null
 * @param holders     PCI address to the domain (ns/name) holding it
 * @param hostDrivers PCI address to the host driver it had before it went to the passthrough driver, so that
 *                    release can bind that driver when a plain re-probe does not
 * @param alongside   further moves in flight, of other devices, at the same time as {@code pending}
 */
public record JournalState(PendingMove pending, Map<String, String> holders, Map<String, String> hostDrivers,
                           List<PendingMove> alongside) {
    public static final JournalState EMPTY = new JournalState(null, Map.of(), Map.of());

    public JournalState {
        holders = Map.copyOf(Objects.requireNonNullElse(holders, Map.of()));
        hostDrivers = Map.copyOf(Objects.requireNonNullElse(hostDrivers, Map.of()));
        alongside = List.copyOf(Objects.requireNonNullElse(alongside, List.of()));
        if (pending == null && !alongside.isEmpty()) {
            pending = alongside.getFirst();
            alongside = alongside.subList(1, alongside.size());
        }
    }

    public JournalState(PendingMove pending, Map<String, String> holders, Map<String, String> hostDrivers) {
        this(pending, holders, hostDrivers, List.of());
    }

    /** Every move in flight. */
    List<PendingMove> inFlight() {
        return pending == null ? List.of() : Stream.concat(Stream.of(pending), alongside.stream()).toList();
    }

    /** The one move in flight, replacing all others (a journal written before moves ran in parallel). */
    JournalState withPending(PendingMove move) {
        return new JournalState(move, holders, hostDrivers, List.of());
    }

    /** {@code move} recorded: replaces the record of the same devices, or joins the moves in flight. */
    JournalState withMove(PendingMove move) {
        List<PendingMove> moves = new ArrayList<>(inFlight());
        int at = indexOf(moves, move);
        if (at >= 0) {
            moves.set(at, move);
        } else {
            moves.add(move);
        }
        return of(moves);
    }

    /** {@code move} ended: its record goes, the other moves' stay. */
    JournalState withoutMove(PendingMove move) {
        List<PendingMove> moves = new ArrayList<>(inFlight());
        int at = indexOf(moves, move);
        if (at >= 0) {
            moves.remove(at);
        }
        return of(moves);
    }

    private JournalState of(List<PendingMove> moves) {
        return moves.isEmpty() ? new JournalState(null, holders, hostDrivers, List.of())
            : new JournalState(moves.getFirst(), holders, hostDrivers, moves.subList(1, moves.size()));
    }

    /** Two moves in flight never share a device (each holds its groups' locks), so the devices name the move. */
    private static int indexOf(List<PendingMove> moves, PendingMove move) {
        for (int i = 0; i < moves.size(); i++) {
            if (moves.get(i).devices().equals(move.devices())) {
                return i;
            }
        }
        return -1;
    }

    JournalState withHolders(Map<String, String> newHolders) {
        return new JournalState(pending, newHolders, hostDrivers, alongside);
    }

    JournalState withHostDriver(String address, String driver) {
        Map<String, String> m = new HashMap<>(hostDrivers);
        m.put(address, driver);
        return new JournalState(pending, holders, m, alongside);
    }
}
