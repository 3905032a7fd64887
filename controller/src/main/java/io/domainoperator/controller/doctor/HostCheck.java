package io.domainoperator.controller.doctor;

import java.util.Objects;

/**
 * One prerequisite and how this host stands: OK, WARN (runs, but worse than it could: TCG instead of KVM) or FAIL
 * (the node cannot run what it is asked to).
 *
 * @param name   what was checked, e.g. "bridge br0"
 * @param status the verdict
 * @param detail what was found and, unless OK, what to do about it
 */
public record HostCheck(String name, Status status, String detail) {
    public enum Status { OK, WARN, FAIL }

    public HostCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        // One row per check: a tool's multi-line stderr (QEMU's KVM errors) is folded into the row.
        detail = Objects.requireNonNull(detail, "detail").strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    static HostCheck ok(String name, String detail) {
        return new HostCheck(name, Status.OK, detail);
    }

    static HostCheck warn(String name, String detail) {
        return new HostCheck(name, Status.WARN, detail);
    }

    static HostCheck fail(String name, String detail) {
        return new HostCheck(name, Status.FAIL, detail);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** One line for a log or a readiness answer. */
    public String summary() {
        return name + ": " + status + ": " + detail;
    }
}
