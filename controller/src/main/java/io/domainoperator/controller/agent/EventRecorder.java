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
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** Events waiting to be written; beyond this the API server is far behind and the log line has to do. */
    static final int QUEUE_CAPACITY = 1000;
    /** Event writes in flight at most: enough to keep up with a burst of boots, few enough not to crowd the API server. */
    static final int WRITERS = 4;
    private final KubernetesClient client;
    private final String component;
    private final String node;
    private final Clock clock;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final List<Thread> writers;

    public EventRecorder(KubernetesClient client, String component, String node, Clock clock) {
        this.client = client;
        this.component = component;
        this.node = node;
        this.clock = clock;
        this.writers = IntStream.range(0, WRITERS)
            .mapToObj(i -> Thread.ofPlatform().name("event-writer-" + i).daemon().start(this::writeLoop)).toList();
    }

    /** Events dropped (queue full) or refused by the API server since start. */
    public long failures() {
        return failures.get();
    }

    /** Events the API server accepted since start. */
    public long written() {
        return written.get();
    }

    private void writeLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Event e = queue.take();
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
        record(new ObjectReferenceBuilder().withApiVersion(dc.getApiVersion()).withKind(dc.getKind())
            .withName(dc.getMetadata().getName()).withNamespace(dc.getMetadata().getNamespace())
            .withUid(dc.getMetadata().getUid()).withResourceVersion(dc.getMetadata().getResourceVersion()).build(),
            dc.getMetadata().getNamespace(), type, reason, message);
    }

    /** An event about this node (kind Node, in namespace default, as the kubelet's own): the agent's start. */
    public void recordOnNode(String type, String reason, String message) {
        record(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node").withName(node).build(), "default",
            type, reason, message);
    }

    private void record(io.fabric8.kubernetes.api.model.ObjectReference about, String ns, String type, String reason,
                        String message) {
        String name = about.getName();
        if ("Warning".equals(type)) {
            LOG.warn("{}/{}: {}: {}", ns, name, reason, message);
        } else {
            LOG.info("{}/{}: {}: {}", ns, name, reason, message);
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", "")).withNamespace(ns).endMetadata()
                .withInvolvedObject(about)
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(component).withHost(node).endSource()
                .withReportingComponent(component).withReportingInstance(node)
                .build();
        if (!queue.offer(event)) {
            failures.incrementAndGet();
            LOG.warn("{}/{}: event {} dropped: {} events are waiting for the API server", ns, name, reason, QUEUE_CAPACITY);
        }
    }

    @Override
    public void close() {
        writers.forEach(Thread::interrupt);
    }
}
