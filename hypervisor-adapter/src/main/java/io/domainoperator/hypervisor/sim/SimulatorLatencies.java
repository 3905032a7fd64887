package io.domainoperator.hypervisor.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each simulated operation takes (spent through the {@link Sleeper} before the operation takes effect),
 * and how long a cooperative guest needs between a shutdown request and powering off.
 */
public record SimulatorLatencies(Duration create, Duration unpause, Duration pause, Duration shutdownRequest,
                                 Duration destroy, Duration list, Duration hostInfo, Duration guestShutdown) {
    /** Everything instant: unit tests and scale benchmarks of the reconciler itself. */
    public static final SimulatorLatencies NONE = uniform(Duration.ZERO, Duration.ZERO);

    public SimulatorLatencies {
        for (Duration d : new Duration[] {create, unpause, pause, shutdownRequest, destroy, list, hostInfo, guestShutdown}) {
            Objects.requireNonNull(d, "latency");
            if (d.isNegative()) {
                throw new IllegalArgumentException("latencies cannot be negative: " + d);
            }
        }
    }

    /** Roughly what xl on a small node takes: for {@code --hypervisor=sim} demos. */
    public static SimulatorLatencies realistic() {
        return new SimulatorLatencies(Duration.ofMillis(800), Duration.ofMillis(50), Duration.ofMillis(50),
            Duration.ofMillis(30), Duration.ofMillis(400), Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofSeconds(5));
    }

    /** Every command takes {@code each}; guests shut down after {@code guestShutdown}. */
    public static SimulatorLatencies uniform(Duration each, Duration guestShutdown) {
        return new SimulatorLatencies(each, each, each, each, each, each, each, guestShutdown);
    }
}
