package io.domainoperator.reconciler;

import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.hypervisor.DomainInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions per second on one thread (so: per core), for the situations a node agent meets most: a running
 * domain in steady state (every poll), a boot step, a halt waiting for its timeout. Not part of {@code verify};
 * run with {@code ./mvnw -B -q -pl reconcilers -am -Pbench -DskipTests test} (allocation per decision is
 * {@code gc.alloc.rate.norm} from {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class DecideBenchmark {
    private final DomainDecider engine = new DomainDecider(Knobs.defaults());
    private DesiredDomain steady;
    private Optional<DomainInfo> running;
    private Journal booted;
    private DesiredDomain absent;
    private Journal fresh;
    private DesiredDomain halting;
    private Journal asked;
    private Instant now;

    @Setup
    public void setUp() {
        DomainConfigSpec spec = Fixtures.spec();
        now = Fixtures.at(300);
        running = Optional.of(Fixtures.running(7));
        booted = Fixtures.booted(spec, 7, Fixtures.T0);
        Decision first = engine.decide(Fixtures.desired(spec), running, booted, List.of(), Dependencies.none(), now);
        steady = Fixtures.withStatus(Fixtures.desired(spec), first.status());
        booted = first.journal();
        absent = Fixtures.desired(spec);
        fresh = Fixtures.fresh();
        DomainConfigSpec inactive = Fixtures.spec(s -> s.setActivate(false));
        asked = Fixtures.setUp(booted).shutdownAsked(Fixtures.at(290), 1).journal();
        Decision waiting = engine.decide(Fixtures.desired(inactive), running, asked, List.of(), Dependencies.none(),
            now);
        halting = Fixtures.withStatus(Fixtures.desired(inactive), waiting.status());
    }

    @Benchmark
    public Decision steadyRunning() {
        return engine.decide(steady, running, booted, List.of(), Dependencies.none(), now);
    }

    @Benchmark
    public Decision bootStep() {
        return engine.decide(absent, Optional.empty(), fresh, List.of(), Dependencies.none(), now);
    }

    @Benchmark
    public Decision haltWaitingForTimeout() {
        return engine.decide(halting, running, asked, List.of(), Dependencies.none(), now);
    }
}
