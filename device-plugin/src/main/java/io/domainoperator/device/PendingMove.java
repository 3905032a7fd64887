package io.domainoperator.device;

import java.util.List;
import java.util.Objects;

/**
 * A group move in flight, written before the first sysfs write and removed with the last. A restart that
 * finds one finishes it (or, if it was rolling back, finishes the rollback).
 *
 * @param id          for log lines: what asked for the move, e.g. {@code assign ns/vm} or {@code converge}
 * @param devices     every device of the group and where it goes
 * @param holder      the domain (ns/name) that holds the devices once the move succeeds, or null
 * @param rollingBack a step failed and the devices are on their way back to {@link DeviceMove#from()}
 * @param lastStep    the last sysfs step started, e.g. {@code 0000:01:00.0 unbind e1000e}; for the log
 */
public record PendingMove(String id, List<DeviceMove> devices, String holder, boolean rollingBack, String lastStep) {
    public PendingMove {
        Objects.requireNonNull(id, "id");
        devices = List.copyOf(devices);
    }

    PendingMove atStep(String step) {
        return new PendingMove(id, devices, holder, rollingBack, step);
    }

    PendingMove startRollback() {
        return new PendingMove(id, devices, holder, true, lastStep);
    }
}
