package io.domainoperator.controller;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The node's global knobs, EVE style, bound once at start and again whenever their source (flags, then a
 * ConfigMap or a knobs file) changes. Keys: {@code timer.boot.retry} (seconds, default 600),
 * {@code timer.shutdown.timeout} (seconds, default 60), {@code timer.poll.interval} (seconds, default 5),
 * {@code debug.enable.usb} (true/false, default false).
 */
public record GlobalKnobs(Duration bootRetry, Duration shutdownTimeout, Duration pollInterval, boolean debugEnableUsb) {
    public static final String BOOT_RETRY = "timer.boot.retry";
    public static final String SHUTDOWN_TIMEOUT = "timer.shutdown.timeout";
    public static final String POLL_INTERVAL = "timer.poll.interval";
    public static final String DEBUG_ENABLE_USB = "debug.enable.usb";

    public static GlobalKnobs defaults() {
        return new GlobalKnobs(Duration.ofSeconds(600), Duration.ofSeconds(60), Duration.ofSeconds(5), false);
    }

    /**
     * These knobs overridden by the given key/values. Unknown keys and bad values are errors naming the key
     * and the expected form, so a typo in a ConfigMap is reported instead of silently ignored.
     */
    public GlobalKnobs with(Map<String, String> values) {
        GlobalKnobs k = this;
        for (var e : new LinkedHashMap<>(values).entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            k = switch (key) {
                case BOOT_RETRY -> new GlobalKnobs(seconds(key, value), k.shutdownTimeout, k.pollInterval, k.debugEnableUsb);
                case SHUTDOWN_TIMEOUT -> new GlobalKnobs(k.bootRetry, seconds(key, value), k.pollInterval, k.debugEnableUsb);
                case POLL_INTERVAL -> new GlobalKnobs(k.bootRetry, k.shutdownTimeout, seconds(key, value), k.debugEnableUsb);
                case DEBUG_ENABLE_USB -> new GlobalKnobs(k.bootRetry, k.shutdownTimeout, k.pollInterval, bool(key, value));
                default -> throw new IllegalArgumentException("unknown knob '" + key + "'; known knobs: " + BOOT_RETRY + ", "
                    + SHUTDOWN_TIMEOUT + ", " + POLL_INTERVAL + ", " + DEBUG_ENABLE_USB);
            };
        }
        return k;
    }

    private static Duration seconds(String key, String value) {
        try {
            long s = Long.parseLong(value);
            if (s < 1 || s > 86_400) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("knob " + key + " must be whole seconds between 1 and 86400, is '" + value + "'");
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("knob " + key + " must be true or false, is '" + value + "'");
        };
    }
}
