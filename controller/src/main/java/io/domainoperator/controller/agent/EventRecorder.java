package io.domainoperator.controller.agent;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Event;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a DomainConfig's transitions (BootFailed, Started, ShutdownForced, ...), and a log line each.
 * Events are written by threads of their own ({@value #WRITERS}, each one write at a time) from a bounded queue: a
 * slow, stopped or unreachable API server delays no reconcile and no hypervisor operation, and one slow write does
 * not leave a node that starts 50 domains a second dropping most of its Started events. When the queue is full an
 * event is dropped; drops and failed writes are logged and counted ({@link #failures()}), never retried into a backlog.
 *
 * <p>The queue holds a node's worth of events ({@value #QUEUE_CAPACITY}), each as the few strings it is made of
 * ({@link Pending}, a few hundred bytes; the API object is built when it is written): when ten thousand domains start
 * in a burst, the API server is the node's bottleneck, and client-go's limit of 1,000 dropped two thirds of their
 * Started events (bench scale-10000); they are written late instead, with the time they happened.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** Events waiting to be written; beyond this the API server is far behind and the log line has to do. */
    static final int QUEUE_CAPACITY = 10_000;
    /** Event writes in flight at most: enough to keep up with a burst of boots, few enough not to crowd the API server. */
    static final int WRITERS = 4;
    private final KubernetesClient client;
    private final String component;
    private final String node;
    private final Clock clock;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final List<Thread> writers;

    /** An event waiting to be written: what it is about, and what happened when. */
    private record Pending(String apiVersion, String kind, String name, String namespace, String uid,
                           String resourceVersion, String type, String reason, String message, String at) {
    }

    public EventRecorder(KubernetesClient client, String component, String node, Clock clock) {
        this(client, component, node, clock, QUEUE_CAPACITY, WRITERS);
    }

    /** capacity: events that may wait; writers: threads writing them (0: none, for tests of the queue alone). */
    EventRecorder(KubernetesClient client, String component, String node, Clock clock, int capacity, int writers) {
        this.client = client;
        this.component = component;
        this.node = node;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writers = IntStream.range(0, writers)
            .mapToObj(i -> Thread.ofPlatform().name("event-writer-" + i).daemon().start(this::writeLoop)).toList();
    }

    /** Events dropped (queue full) or refused by the API server since start. */
    public long failures() {
        return failures.get();
    }

    /** Events waiting to be written now. */
    int waiting() {
        return queue.size();
    }

    /** Events the API server accepted since start. */
    public long written() {
        return written.get();
    }

    private void writeLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Event e = event(queue.take());
                try {
                    client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).create();
                    written.incrementAndGet();
                } catch (RuntimeException ex) {
                    // An event is a courtesy; its log line was written when it was recorded.
                    failures.incrementAndGet();
                    LOG.warn("cannot write event {} for {}/{}: {}", e.getReason(), e.getMetadata().getNamespace(),
                        e.getInvolvedObject().getName(), ex.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** type is Normal or Warning; reason a CamelCase event reason; message says what happened. Never blocks. */
    public void record(DomainConfig dc, String type, String reason, String message) {
        record(dc.getApiVersion(), dc.getKind(), dc.getMetadata().getName(), dc.getMetadata().getNamespace(),
            dc.getMetadata().getUid(), dc.getMetadata().getResourceVersion(), type, reason, message);
    }

    /** An event about this node (kind Node, in namespace default, as the kubelet's own): the agent's start. */
    public void recordOnNode(String type, String reason, String message) {
        record("v1", "Node", node, "default", null, null, type, reason, message);
    }

    /** namespace: the object's, and the event's; uid and resourceVersion: null for a Node. */
    private void record(String apiVersion, String kind, String name, String namespace, String uid,
                        String resourceVersion, String type, String reason, String message) {
        if ("Warning".equals(type)) {
            LOG.warn("{}/{}: {}: {}", namespace, name, reason, message);
        } else {
            LOG.info("{}/{}: {}: {}", namespace, name, reason, message);
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        if (!queue.offer(new Pending(apiVersion, kind, name, namespace, uid, resourceVersion, type, reason, message, now))) {
            failures.incrementAndGet();
            LOG.warn("{}/{}: event {} dropped: {} events are waiting for the API server", namespace, name, reason,
                queue.size());
        }
    }

    /** The API object of a waiting event; the Node's own events have no namespace in their reference. */
    private Event event(Pending p) {
        boolean aboutNode = "Node".equals(p.kind()) && p.uid() == null;
        return new EventBuilder()
            .withNewMetadata().withName(p.name() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
            .withNamespace(p.namespace()).endMetadata()
            .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(p.apiVersion()).withKind(p.kind())
                .withName(p.name()).withNamespace(aboutNode ? null : p.namespace()).withUid(p.uid())
                .withResourceVersion(p.resourceVersion()).build())
            .withType(p.type()).withReason(p.reason()).withMessage(p.message())
            .withFirstTimestamp(p.at()).withLastTimestamp(p.at()).withCount(1)
            .withNewSource().withComponent(component).withHost(node).endSource()
            .withReportingComponent(component).withReportingInstance(node)
            .build();
    }

    @Override
    public void close() {
        writers.forEach(Thread::interrupt);
    }
}
