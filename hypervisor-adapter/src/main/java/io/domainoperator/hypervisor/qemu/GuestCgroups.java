package io.domainoperator.hypervisor.qemu;

import java.util.OptionalLong;

/**
 * Where each QEMU lives in the host's cgroup tree. An agent in a pod starts QEMU inside the pod's cgroup, and
 * the container runtime kills every process of that cgroup when the pod stops; a QEMU moved into a group of its
 * own outside the pod's survives an agent restart or upgrade, and the next agent re-attaches to it by pid.
 * The group also carries the domain's memory limit and accounts its CPU time.
 */
public interface GuestCgroups {

    /** No cgroup handling: QEMU stays where the agent runs (tests, standalone mode on a workstation). */
    GuestCgroups NONE = new GuestCgroups() {
        @Override
        public void place(String domain, long pid, long memoryLimitBytes) {
        }

        @Override
        public OptionalLong cpuNanos(String domain) {
            return OptionalLong.empty();
        }

        @Override
        public void remove(String domain) {
        }

        @Override
        public String description() {
            return "none (QEMU stays in the agent's cgroup)";
        }
    };

    /**
     * Moves the whole process {@code pid} into the domain's group, creating it with {@code memoryLimitBytes}
     * as its memory limit. Idempotent: a re-attaching agent calls it again for a QEMU already there.
     *
     * @throws CgroupException when the group cannot be made or the process cannot be moved
     */
    void place(String domain, long pid, long memoryLimitBytes);

    /** CPU time the domain's group has used, in nanoseconds; empty when no hierarchy accounts it. */
    OptionalLong cpuNanos(String domain);

    /** Removes the domain's group once its QEMU has ended; a group still holding a process stays. */
    void remove(String domain);

    /** One line for the start-up log: which hierarchies, which group. */
    String description();

    /** A cgroup operation that failed, naming the file and what to check. */
    final class CgroupException extends RuntimeException {
        public CgroupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
