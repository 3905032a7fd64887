package io.domainoperator.hypervisor;

import java.util.Objects;

/**
 * The virtual machine's kind and platform switches. A switch is null when the spec leaves it to the backend's
 * default.
 */
public record Machine(GuestType type, Boolean acpi, Boolean localtime) {
    public Machine {
        Objects.requireNonNull(type, "type");
    }
}
