package io.domainoperator.hypervisor.sim;

import java.time.Duration;

/**
 * How the simulator spends an operation's latency. Production demos sleep for real; tests pass one that advances
 * their clock, so a "30 s shutdown" takes no wall time and no test waits on a timer.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
