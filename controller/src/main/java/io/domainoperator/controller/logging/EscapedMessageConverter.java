package io.domainoperator.controller.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.domainoperator.api.v1alpha1.Untrusted;

/**
 * {@code %msg} with control characters escaped ({@link Untrusted#escapeControls}): a log line carries user
 * values (names, paths, hypervisor output), and none of them may start a forged line or drive the terminal.
 * Stack traces are printed by their own converter and keep their lines.
 */
public final class EscapedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Untrusted.escapeControls(super.convert(event));
    }
}
