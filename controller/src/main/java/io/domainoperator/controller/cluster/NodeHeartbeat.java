package io.domainoperator.controller.cluster;

import io.domainoperator.hypervisor.HostInfo;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's side of liveness: renews the Lease {@code domainoperator-node-<node>} every
 * {@code renewInterval}, stamping the host's capacity into its annotations (see {@link NodeLease}).
 *
 * <p>{@link #close()} stops renewing but leaves the Lease in place: a node that goes away, cleanly or not,
 * looks the same to the cluster controller once the lease expires, and its domains are marked NodeLost
 * rather than moved (their disks live on that node).
 *
 * <p>A renewal whose host query fails is skipped, not sent with stale numbers: a node whose hypervisor
 * cannot say how much memory it has should stop receiving domains, and does once its lease expires.
 */
public final class NodeHeartbeat implements AutoCloseable {
    public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String nodeName;
    private final String hypervisor;
    private final Supplier<HostInfo> hostInfo;
    private final Clock clock;
    private final Duration leaseDuration;
    private final Duration renewInterval;
    private ScheduledExecutorService timer;

    /**
     * @param client        API client
     * @param namespace     namespace of the node Leases, e.g. {@link NodeLease#DEFAULT_NAMESPACE}
     * @param nodeName      this node, as DomainConfig spec.nodeName names it
     * @param hypervisor    backend in use: xl, qemu or sim
     * @param hostInfo      the hypervisor's current host view, called on every renewal
     * @param clock         time source for renewTime
     * @param leaseDuration how long one renewal counts (default 40 s); at least three renew intervals
     * @param renewInterval how often to renew (default 10 s)
     */
    public NodeHeartbeat(KubernetesClient client, String namespace, String nodeName, String hypervisor,
                         Supplier<HostInfo> hostInfo, Clock clock, Duration leaseDuration, Duration renewInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
        this.hostInfo = Objects.requireNonNull(hostInfo, "hostInfo");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.renewInterval = Objects.requireNonNull(renewInterval, "renewInterval");
        if (leaseDuration.toSeconds() < 1 || renewInterval.isZero() || renewInterval.isNegative()
            || renewInterval.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renewInterval (" + renewInterval + ") must be positive and shorter than leaseDuration ("
                + leaseDuration + "), which must be at least one second; e.g. 10 s and 40 s");
        }
    }

    /** With the default 40 s lease renewed every 10 s. */
    public NodeHeartbeat(KubernetesClient client, String namespace, String nodeName, String hypervisor,
                         Supplier<HostInfo> hostInfo, Clock clock) {
        this(client, namespace, nodeName, hypervisor, hostInfo, clock, NodeLease.DEFAULT_DURATION, DEFAULT_RENEW_INTERVAL);
    }

    /** Renews now, then every renew interval on a daemon thread. A failed renewal is logged and retried next time. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "node-heartbeat-" + nodeName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::renewQuietly, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creates or renews the Lease once, with the host's current capacity; returns what the server holds. */
    public Lease renewOnce() {
        HostInfo host = hostInfo.get();
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Map<String, String> annotations = Map.of(
            NodeLease.MEMORY_TOTAL_ANNOTATION, Long.toString(host.totalMemoryBytes()),
            NodeLease.MEMORY_FREE_ANNOTATION, Long.toString(host.freeMemoryBytes()),
            NodeLease.CPUS_ANNOTATION, Integer.toString(host.cpus()),
            NodeLease.HYPERVISOR_ANNOTATION, hypervisor);
        var leases = client.resources(Lease.class).inNamespace(namespace).withName(NodeLease.leaseName(nodeName));
        Lease current = leases.get();
        if (current == null) {
            Lease created = new LeaseBuilder()
                .withNewMetadata().withName(NodeLease.leaseName(nodeName)).withNamespace(namespace)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds((int) leaseDuration.toSeconds())
                .withAcquireTime(now).withRenewTime(now).endSpec()
                .build();
            try {
                return client.resources(Lease.class).inNamespace(namespace).resource(created).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Created by a previous incarnation between our get and create: renew it instead.
            }
        }
        return leases.edit(lease -> new LeaseBuilder(lease)
            .editMetadata().addToAnnotations(annotations).endMetadata()
            .editOrNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds((int) leaseDuration.toSeconds())
            .withRenewTime(now).endSpec()
            .build());
    }

    /** Stops renewing; the Lease stays and expires. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void renewQuietly() {
        try {
            renewOnce();
        } catch (RuntimeException e) {
            LOG.warn("node {}: heartbeat renew of Lease {}/{} failed, retrying in {}: {}", nodeName, namespace,
                NodeLease.leaseName(nodeName), renewInterval, e.toString());
        }
    }
}
