package io.domainoperator.controller.cli;

import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/**
 * A simulator latency: {@code 800ms}, {@code 2s}, {@code 1m} or {@code 0}, up to an hour. Finer than the timers'
 * grammar (whole seconds at least), since a list takes milliseconds.
 */
final class SimDuration {
    static final Duration MAX = Duration.ofHours(1);

    private SimDuration() {
    }

    static Duration parse(String subject, String value) {
        String v = value.strip();
        Duration d = null;
        try {
            if (v.equals("0")) {
                d = Duration.ZERO;
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.compareTo(MAX) > 0) {
            throw new TypeConversionException(subject + " must be a duration such as 800ms, 2s or 1m (0 to 1 h); is '"
                + value + "'");
        }
        return d;
    }
}
