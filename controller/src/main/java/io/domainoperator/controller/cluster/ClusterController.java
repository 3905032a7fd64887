package io.domainoperator.controller.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster controller process ({@code domain-operator controller}): validates, places and watches over
 * DomainConfigs for the whole fleet, while the node agents run them. Replicas elect a leader through the
 * coordination Lease {@value #LEADER_LEASE_NAME} (fabric8's {@code LeaderElector}); only the leader watches
 * and writes, so two replicas never act at once.
 *
 * <p>Why fabric8 informers and one single-threaded pass rather than a java-operator-sdk reconciler:
 * placement is a decision about the whole fleet, not about one resource. Two domains reconciled
 * concurrently would each see the same free memory and adapter and could both take it; JOSDK reconciles
 * resources in parallel and per resource. A single pass over the informer caches sees every domain,
 * node heartbeat and adapter at once, is trivially serial, and is cheap (10,000 domains over 1,000 nodes
 * are placed in well under a second, see PlacementScaleTest). The informers only start on the leader, so
 * standby replicas hold no placement watches (the admission webhook, which every replica serves, keeps its own
 * caches: {@code webhook.InformerClusterView}).
 *
 * <p>A pass runs after any change to a DomainConfig, a node heartbeat Lease or a PhysicalIOAdapter (bursts
 * are coalesced into one pass), and every {@code resyncPeriod} so that a heartbeat that stops arriving is
 * noticed.
 */
public final class ClusterController implements AutoCloseable {
    public static final String LEADER_LEASE_NAME = "domain-operator-controller";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterController.class);

    private final KubernetesClient client;
    private final String leaseNamespace;
    private final String identity;
    private final Clock clock;
    private final Timings timings;
    private final io.domainoperator.controller.metrics.ControllerMetrics metrics;
    private final AtomicReference<LeaderSession> session = new AtomicReference<>();
    private final ScheduledExecutorService electionRestarts;
    private volatile String leader;
    private volatile int drainParallel = DrainPlanner.DEFAULT_PARALLEL;
    private volatile boolean closed;
    private CompletableFuture<?> election;

    /**
     * Timings of leader election and of the periodic pass. Leader election runs on the system clock
     * (fabric8's elector reads it directly); the injected {@link Clock} decides heartbeat freshness and
     * condition timestamps.
     *
     * @param leaseDuration how long a standby waits after the last renewal before taking over
     * @param renewDeadline how long the leader keeps trying to renew before it steps down (&lt; leaseDuration)
     * @param retryPeriod   how often candidates try to acquire and the leader renews
     * @param resyncPeriod  how often a pass runs without any change, to notice expired node heartbeats
     */
    public record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration resyncPeriod) {
        public Timings {
            Objects.requireNonNull(leaseDuration, "leaseDuration");
            Objects.requireNonNull(renewDeadline, "renewDeadline");
            Objects.requireNonNull(retryPeriod, "retryPeriod");
            Objects.requireNonNull(resyncPeriod, "resyncPeriod");
            if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("leader election needs retryPeriod < renewDeadline < leaseDuration, got "
                    + retryPeriod + ", " + renewDeadline + ", " + leaseDuration + "; e.g. 2 s, 10 s, 15 s");
            }
            if (resyncPeriod.isZero() || resyncPeriod.isNegative()) {
                throw new IllegalArgumentException("resyncPeriod must be positive, got " + resyncPeriod);
            }
        }

        /** 15 s lease, 10 s renew deadline, 2 s retry (client-go's defaults); a pass at least every 5 s. */
        public static Timings defaults() {
            return new Timings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(5));
        }
    }

    /**
     * @param client         API client
     * @param leaseNamespace namespace of the leader-election Lease and of the node heartbeat Leases
     *                       (e.g. {@link NodeLease#DEFAULT_NAMESPACE})
     * @param identity       this replica's identity in the election, unique per replica (e.g. the pod name)
     * @param clock          time source for heartbeat freshness and condition timestamps
     * @param timings        election and resync timings, e.g. {@link Timings#defaults()}
     */
    public ClusterController(KubernetesClient client, String leaseNamespace, String identity, Clock clock, Timings timings) {
        this(client, leaseNamespace, identity, clock, timings, null);
    }

    /** @param metrics where placements and no-fits are counted, or null */
    public ClusterController(KubernetesClient client, String leaseNamespace, String identity, Clock clock, Timings timings,
                             io.domainoperator.controller.metrics.ControllerMetrics metrics) {
        this.metrics = metrics;
        this.client = Objects.requireNonNull(client, "client");
        this.leaseNamespace = Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.electionRestarts = Executors.newSingleThreadScheduledExecutor(daemon("cluster-election-" + identity));
    }

    /** Joins the election; returns at once. The leader starts watching and placing. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("cluster controller " + identity + " is closed");
        }
        if (election == null) {
            runElection();
        }
    }

    /** How many DomainMigrations node drain runs at once, fleet-wide (at least 1); before {@link #start()}. */
    public void drainParallel(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--drain-parallel must be at least 1, got " + n);
        }
        this.drainParallel = n;
    }

    /** Whether this replica leads now (for /readyz: a standby is alive but not ready to act). */
    public boolean isLeader() {
        LeaderSession current = session.get();
        return current != null && current.active();
    }

    /** Identity of the leader as last observed, or null when none was seen yet. */
    public String leaderIdentity() {
        return leader;
    }

    public String identity() {
        return identity;
    }

    /** Steps down (releasing the Lease so a standby takes over at once) and stops all work. */
    @Override
    public void close() {
        CompletableFuture<?> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = election;
        }
        electionRestarts.shutdownNow();
        if (running != null) {
            // Cancelling makes the elector give the Lease up (releaseOnCancel), which calls onStopLeading.
            running.cancel(true);
        }
        stopLeading();
    }

    private synchronized void runElection() {
        if (closed) {
            return;
        }
        var config = new LeaderElectionConfigBuilder()
            .withName(LEADER_LEASE_NAME)
            .withLock(new LeaseLock(leaseNamespace, LEADER_LEASE_NAME, identity))
            .withLeaseDuration(timings.leaseDuration())
            .withRenewDeadline(timings.renewDeadline())
            .withRetryPeriod(timings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading, this::newLeader))
            .build();
        election = client.leaderElector().withConfig(config).build().start();
        // The elector returns once leadership is lost; rejoin as a candidate unless we are closing.
        election.whenComplete((ok, error) -> {
            if (!closed) {
                LOG.info("cluster controller {}: left the election{}, rejoining", identity,
                    error == null ? "" : " (" + error + ")");
                electionRestarts.schedule(this::runElection, timings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void startLeading() {
        LOG.info("cluster controller {}: leading, starting placement", identity);
        LeaderSession fresh = new LeaderSession(client, leaseNamespace, identity, clock, timings, metrics);
        fresh.drainParallel = drainParallel;
        LeaderSession previous = session.getAndSet(fresh);
        if (previous != null) {
            previous.close();
        }
        if (closed) {
            stopLeading();
            return;
        }
        fresh.start();
    }

    private void stopLeading() {
        LeaderSession previous = session.getAndSet(null);
        if (previous != null) {
            LOG.info("cluster controller {}: no longer leading, stopping placement", identity);
            previous.close();
        }
    }

    private void newLeader(String newLeader) {
        leader = newLeader;
        LOG.info("cluster controller {}: leader is {}", identity, newLeader);
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ...: they must never keep the JVM alive. */
    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
