package io.domainoperator.device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one journaled group move: all devices reach their destination, or all go back to the driver they had.
 * The journal holds the move from before the first write until after the last, with the step in progress, so a
 * restart can finish it ({@link #resume}).
 */
final class GroupMover {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMover.class);
    /** A rollback write that fails once (EBUSY while a driver settles, say) is worth trying again. */
    private static final int RESTORE_ATTEMPTS = 3;

    private final JournalEdits journal;
    private final PassthroughDriver target;
    private final DriverMover mover;
    private PendingMove current;

    /** One mover per move: it keeps that move's record ({@link #current}); moves of other groups have their own. */
    GroupMover(Sysfs sysfs, PassthroughDriver target, JournalEdits journal) {
        this.journal = journal;
        this.target = target;
        this.mover = new DriverMover(sysfs, target, this::journalStep);
    }

    /** Starts a move. Empty when every device arrived; otherwise the failure, after rolling the group back. */
    Optional<MoveFailure> run(PendingMove move) {
        begin(move);
        return forward();
    }

    /** Finishes a move a previous process left in the journal. */
    Optional<MoveFailure> resume(PendingMove move) {
        LOG.info("device move '{}': resuming after a restart (last step: {}, {})", move.id(), move.lastStep(),
            move.rollingBack() ? "rolling back" : "rolling forward");
        begin(move);
        return move.rollingBack() ? Optional.of(rollback(null)) : forward();
    }

    private void begin(PendingMove move) {
        current = move;
        journal.edit(s -> s.withMove(move));
    }

    private Optional<MoveFailure> forward() {
        try {
            for (DeviceMove d : current.devices()) {
                switch (d.to()) {
                    case PASSTHROUGH -> mover.toPassthrough(d.address());
                    case HOST -> mover.toHost(d.address(), hostDriverHint(d));
                }
            }
        } catch (MoveException e) {
            LOG.warn("device move '{}': {}; rolling the group back", current.id(), e.getMessage());
            return Optional.of(rollback(e));
        }
        complete();
        LOG.info("device move '{}': {} now {}", current.id(), addresses(), destinationText());
        return Optional.empty();
    }

    private MoveFailure rollback(MoveException cause) {
        current = current.startRollback();
        PendingMove rollingBack = current;
        journal.edit(s -> s.withMove(rollingBack));
        List<String> stuck = new ArrayList<>();
        List<DeviceMove> reversed = current.devices().reversed();
        for (DeviceMove d : reversed) {
            if (!restore(d)) {
                stuck.add(d.address());
            }
        }
        boolean rolledBack = stuck.isEmpty();
        if (rolledBack) {
            PendingMove done = current;
            journal.edit(s -> s.withoutMove(done));
            LOG.info("device move '{}': rolled back, {} are where they were", current.id(), addresses());
        } else {
            LOG.error("device move '{}': rollback incomplete for {}; kept in the journal to retry", current.id(), stuck);
        }
        MoveFailure failure = cause != null ? cause.toFailure(rolledBack)
            : new MoveFailure(String.join(",", rolledBack ? addresses() : stuck), "rollback",
                "finished the rollback of '" + current.id() + "' that a previous run left in the journal", rolledBack);
        return failure;
    }

    /** Back to the original driver; failing that, into the passthrough driver, which is safe and never orphaned. */
    private boolean restore(DeviceMove d) {
        MoveException last = null;
        for (int attempt = 1; attempt <= RESTORE_ATTEMPTS; attempt++) {
            try {
                mover.restore(d.address(), d.from());
                return true;
            } catch (MoveException e) {
                last = e;
            }
        }
        LOG.warn("device move '{}': cannot return {} to {}: {}", current.id(), d.address(),
            d.from() == null ? "no driver" : d.from(), last.getMessage());
        if (!target.name().equals(d.from())) {
            for (int attempt = 1; attempt <= RESTORE_ATTEMPTS; attempt++) {
                try {
                    mover.toPassthrough(d.address());
                    LOG.warn("device move '{}': parked {} in {} so it is not left without a driver",
                        current.id(), d.address(), target.name());
                    break;
                } catch (MoveException e) {
                    last = e;
                }
            }
        }
        return false;
    }

    private void complete() {
        PendingMove done = current;
        journal.edit(before -> {
            JournalState state = before;
            Map<String, String> holders = new HashMap<>(state.holders());
            for (DeviceMove d : done.devices()) {
                if (done.holder() != null) {
                    holders.put(d.address(), done.holder());
                }
                if (d.to() == DeviceMove.Destination.PASSTHROUGH && d.from() != null && !d.from().equals(target.name())) {
                    state = state.withHostDriver(d.address(), d.from());
                }
            }
            return state.withHolders(holders).withoutMove(done);
        });
    }

    private String hostDriverHint(DeviceMove d) {
        if (d.from() != null && !d.from().equals(target.name())) {
            return d.from();
        }
        return journal.load().hostDrivers().get(d.address());
    }

    private void journalStep(String address, String step) {
        current = current.atStep(address + " " + step);
        PendingMove now = current;
        journal.edit(s -> s.withMove(now));
    }

    private List<String> addresses() {
        return current.devices().stream().map(DeviceMove::address).toList();
    }

    private String destinationText() {
        return current.devices().stream().map(d -> d.to() == DeviceMove.Destination.PASSTHROUGH ? target.name() : "host")
            .distinct().reduce((a, b) -> a + "/" + b).orElse("");
    }
}
