package io.domainoperator.controller.agent;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The one grammar for a duration knob, whether it comes from a flag ({@code --boot-retry 10m}) or from the
 * knobs ConfigMap ({@code timer.boot.retry: "600"}): whole seconds as EVE writes them, a number with a unit
 * ({@code 30s}, {@code 5m}, {@code 1h}) or ISO-8601 ({@code PT30S}); between one second and one day, so a typo
 * cannot switch a timer off or push it out of sight.
 */
public final class KnobDurations {
    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofDays(1);

    private KnobDurations() {
    }

    /**
     * @param subject what is being set, for the message ({@code knob timer.boot.retry}, {@code the value})
     * @throws IllegalArgumentException naming the subject, the value and the accepted forms
     */
    public static Duration parse(String subject, String value) {
        return parse(subject, value, MAX);
    }

    /**
     * The same grammar with another upper bound, for durations that are not timers (a certificate's lifetime).
     *
     * @param max the longest accepted duration, named in the message in hours
     */
    public static Duration parse(String subject, String value, Duration max) {
        String v = value == null ? "" : value.strip();
        Duration d;
        try {
            d = unchecked(v);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException | StringIndexOutOfBoundsException e) {
            d = null;
        }
        if (d == null || d.compareTo(MIN) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(subject + " must be whole seconds (600) or a duration (e.g. 30s, 5m, 1h"
                + " or PT30S) from 1 s to " + max.toHours() + " h; is '" + value + "'");
        }
        return d;
    }

    private static Duration unchecked(String v) {
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        char unit = v.charAt(v.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> null;
        };
    }
}
