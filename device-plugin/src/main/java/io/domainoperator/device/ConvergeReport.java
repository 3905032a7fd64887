package io.domainoperator.device;

import java.util.List;

/**
 * What a pass that moves free devices to their home did.
 *
 * @param moved          addresses whose driver changed
 * @param failures       group moves that failed (and were rolled back)
 * @param moduleFailures USB modules that modprobe or rmmod could not handle
 */
public record ConvergeReport(List<String> moved, List<MoveFailure> failures, List<String> moduleFailures) {
    public ConvergeReport {
        moved = List.copyOf(moved);
        failures = List.copyOf(failures);
        moduleFailures = List.copyOf(moduleFailures);
    }

    public boolean clean() {
        return failures.isEmpty() && moduleFailures.isEmpty();
    }
}
