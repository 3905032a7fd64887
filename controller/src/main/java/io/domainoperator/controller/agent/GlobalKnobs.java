package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.reconciler.Knobs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The node's global knobs, EVE style. One path: the flags give the base ({@code cli.AgentOptions}), the knobs
 * ConfigMap ({@code --knobs-configmap}, watched by {@link KnobsWatcher}) overrides it key by key, and
 * {@link #engineKnobs()} turns the result into the decision engine's {@link Knobs}. Keys:
 * {@code timer.boot.retry} (default {@value DomainConfigSpec#DEFAULT_BOOT_RETRY_SECONDS} s),
 * {@code timer.shutdown.timeout} (default {@value DomainConfigSpec#DEFAULT_SHUTDOWN_TIMEOUT_SECONDS} s),
 * {@code timer.poll.interval} (default 5 s), durations in {@link KnobDurations}' grammar as the flags are;
 * {@code debug.enable.usb} (true/false, default false). The defaults are the engine's ({@link Knobs#defaults()}).
 */
public record GlobalKnobs(Duration bootRetry, Duration shutdownTimeout, Duration pollInterval, boolean debugEnableUsb) {
    public static final String BOOT_RETRY = "timer.boot.retry";
    public static final String SHUTDOWN_TIMEOUT = "timer.shutdown.timeout";
    public static final String POLL_INTERVAL = "timer.poll.interval";
    public static final String DEBUG_ENABLE_USB = "debug.enable.usb";

    /** How often the hypervisor is listed; the flag's default. */
    public static final String DEFAULT_POLL_INTERVAL = "5s";

    public static GlobalKnobs defaults() {
        Knobs engine = Knobs.defaults();
        return new GlobalKnobs(engine.bootRetry(), engine.defaultShutdownTimeout(),
            KnobDurations.parse(POLL_INTERVAL, DEFAULT_POLL_INTERVAL), false);
    }

    /**
     * The engine's knobs for these: the timers set here, the rest at the engine's defaults. Steady-state
     * re-checks need not be more frequent than hypervisor polls, which trigger on change.
     */
    public Knobs engineKnobs() {
        Knobs d = Knobs.defaults();
        return new Knobs(bootRetry, d.quickBootRetries(), d.quickRetryDelay(), shutdownTimeout, d.minRebootDelay(),
            d.orphanGrace(), d.dependentHaltDeadline(), pollInterval.multipliedBy(6));
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
        return KnobDurations.parse("knob " + key, value);
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("knob " + key + " must be true or false, is '" + value + "'");
        };
    }
}
