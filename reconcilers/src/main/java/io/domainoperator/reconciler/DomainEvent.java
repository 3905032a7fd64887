package io.domainoperator.reconciler;

import java.util.Objects;

/**
 * A Kubernetes event to record on the DomainConfig, emitted on a transition only (never on every decision).
 *
 * @param type     Normal or Warning
 * @param reason   CamelCase reason, from {@link io.domainoperator.api.v1alpha1.Conditions} or {@link Reasons}
 * @param message  what happened and, for warnings, what to do
 */
public record DomainEvent(Type type, String reason, String message) {

    /** The two event types Kubernetes knows. */
    public enum Type { Normal, Warning }

    public DomainEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static DomainEvent normal(String reason, String message) {
        return new DomainEvent(Type.Normal, reason, message);
    }

    static DomainEvent warning(String reason, String message) {
        return new DomainEvent(Type.Warning, reason, message);
    }
}
