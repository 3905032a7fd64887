package io.domainoperator.e2e;

import java.util.List;
import java.util.Locale;

/**
 * One fault of {@link MigrationCrashE2E}'s matrix: the source or target agent killed with SIGKILL at a step boundary
 * of a live migration (the agent's test-only crash switch, {@code DOMAIN_OPERATOR_CRASH_AT}), or the target failing in
 * the middle of the copy (its QEMU killed by the test). Each names the step in the words of issue 18.
 *
 * @param crashPoint the agent's {@code CrashPoint}; for {@link Side#TARGET_QEMU}, the fault's own name
 */
record MigrationCrashCase(String step, Side killed, String crashPoint) {

    enum Side { SOURCE_AGENT, TARGET_AGENT, TARGET_QEMU }

    /** The target's incoming QEMU killed with SIGKILL while the source copies to it (the copy slowed down to last). */
    static final String TARGET_QEMU_KILLED = "TARGET_QEMU_KILLED_MID_COPY";
    /** The target's incoming QEMU stopped with SIGSTOP mid-copy: a hung target, ended by the copy's completion deadline. */
    static final String TARGET_QEMU_STOPPED = "TARGET_QEMU_STOPPED_MID_COPY";
    /** The target's agent killed with SIGKILL by the test mid-copy (not at a step boundary), then started again. */
    static final String TARGET_AGENT_KILLED = "TARGET_AGENT_KILLED_MID_COPY";

    /** Every step boundary, in the order a migration passes them. */
    static final List<MigrationCrashCase> ALL = List.of(
        agent("prepare incoming: before the target's QEMU starts", Side.TARGET_AGENT, "PREPARE_INCOMING_BEFORE"),
        agent("prepare incoming: the target listens, unrecorded", Side.TARGET_AGENT, "PREPARE_INCOMING_AFTER"),
        agent("migrate out: before the copy is started", Side.SOURCE_AGENT, "MIGRATE_OUT_BEFORE"),
        agent("migrate out started, unrecorded", Side.SOURCE_AGENT, "MIGRATE_OUT_AFTER"),
        agent("after the copy, before the hand-over", Side.SOURCE_AGENT, "HANDOVER_WRITE_BEFORE"),
        agent("hand-over written", Side.SOURCE_AGENT, "HANDOVER_WRITE_AFTER"),
        agent("resume incoming: before the target resumes", Side.TARGET_AGENT, "RESUME_INCOMING_BEFORE"),
        agent("resume incoming: resumed, unrecorded", Side.TARGET_AGENT, "RESUME_INCOMING_AFTER"),
        agent("destroy source copy: before", Side.SOURCE_AGENT, "DESTROY_COPY_BEFORE"),
        agent("destroy source copy: destroyed, unrecorded", Side.SOURCE_AGENT, "DESTROY_COPY_AFTER"),
        agent("the target fails mid-copy: its QEMU killed", Side.TARGET_QEMU, TARGET_QEMU_KILLED),
        agent("the target hangs mid-copy: its QEMU stopped (SIGSTOP)", Side.TARGET_QEMU, TARGET_QEMU_STOPPED),
        agent("the target's agent killed mid-copy", Side.TARGET_AGENT, TARGET_AGENT_KILLED));

    /**
     * What CI runs (the whole matrix is the {@code migration-crash} profile's): one kill on each side, both after the
     * commit point, where the guest is stopped on the source and not yet resumed on the target.
     */
    static final List<MigrationCrashCase> CI = List.of(byPoint("HANDOVER_WRITE_AFTER"), byPoint("RESUME_INCOMING_BEFORE"));

    private static MigrationCrashCase agent(String step, Side side, String point) {
        return new MigrationCrashCase(step, side, point);
    }

    private static MigrationCrashCase byPoint(String point) {
        return ALL.stream().filter(c -> point.equals(c.crashPoint())).findFirst().orElseThrow();
    }

    /**
     * The cases to run: {@code full} (the profile) is every one, {@code ci} CI's two, else a comma-separated list of
     * crash points, e.g. {@code -Dmigration.crash.matrix=MIGRATE_OUT_AFTER,RESUME_INCOMING_AFTER}.
     */
    static List<MigrationCrashCase> selected(String matrix) {
        if ("full".equals(matrix)) {
            return ALL;
        }
        if (matrix == null || matrix.isBlank() || "ci".equals(matrix)) {
            return CI;
        }
        return java.util.Arrays.stream(matrix.split(",")).map(String::strip).map(MigrationCrashCase::byPoint).toList();
    }

    /** A DomainMigration name for the {@code n}-th case. */
    String migrationName(int n) {
        String what = crashPoint.toLowerCase(Locale.ROOT).replace('_', '-');
        return "crash-" + n + "-" + what;
    }

    String label() {
        return killed.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " @ " + crashPoint + " (" + step + ")";
    }
}
