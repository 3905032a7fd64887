package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's finalizer through {@link StatusWriter} ({@link FinalizerWrite}): written ahead of the status queued with
 * it, off the caller's thread, locked to the versions of our own chain; a failing finalizer holds no status, a
 * conflicting one asks for a fresh decision, a refused one is given up. One server log holds both kinds of request.
 */
class StatusWriterFinalizerTest {
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    /** "status <phase> @<version>" or "finalizer @<version>", in the order the server got them. */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<ResourceID> conflicts = new CopyOnWriteArrayList<>();
    private final List<ResourceID> decideAgain = new CopyOnWriteArrayList<>();
    private final AtomicInteger version = new AtomicInteger(10);
    private final StatusWriter writer = new StatusWriter(dc -> answer("status " + dc.getStatus().getPhase(), dc),
        dc -> answer("finalizer", dc), (dc, events) -> {
        }, new StatusWriter.Listener() {
            @Override
            public void written() {
            }

            @Override
            public void conflicted(ResourceID id) {
                conflicts.add(id);
            }

            @Override
            public void decideAgain(ResourceID id) {
                decideAgain.add(id);
            }
        });

    @AfterEach
    void close() {
        writer.close();
    }

    private DomainConfig answer(String what, DomainConfig dc) {
        log.add(what + " @" + dc.getMetadata().getResourceVersion());
        String answer;
        try {
            answer = answers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!answer.equals("ok")) {
            throw new KubernetesClientException("scripted " + answer, Integer.parseInt(answer), null);
        }
        DomainConfig stored = new DomainConfig();
        stored.setMetadata(new ObjectMetaBuilder(dc.getMetadata()).withResourceVersion(Integer.toString(version.incrementAndGet())).build());
        stored.setSpec(dc.getSpec());
        stored.setStatus(dc.getStatus());
        return stored;
    }

    private static DomainConfig object(String resourceVersion) {
        DomainConfig dc = new DomainConfig();
        dc.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("vm").withUid("uid-1")
            .withResourceVersion(resourceVersion).build());
        return dc;
    }

    private static DomainConfigStatus status(DomainPhase phase) {
        DomainConfigStatus s = new DomainConfigStatus();
        s.setPhase(phase);
        return s;
    }

    /** What the reconciler does on its first pass: the boot started, its status and the finalizer queued. */
    /** As the reconciler's first pass: the finalizer queued (after the boot started), then the status. */
    private void firstPass(DomainConfig cached) {
        writer.ensureFinalizer(cached);
        writer.report(cached, status(DomainPhase.Booting), true, List.of());
    }

    @Test
    void theFinalizerGoesAheadOfTheFirstStatusAndTheStatusFollowsOnTheVersionItMade() {
        DomainConfig cached = object("1");
        writer.ensureFinalizer(cached);
        writer.report(cached, status(DomainPhase.Booting), true, List.of());
        answers.add("ok");
        answers.add("ok");
        await("both written").until(() -> log.size() == 2 && answers.isEmpty());
        assertThat(log).containsExactly("finalizer @1", "status Booting @11");

        writer.ensureFinalizer(writer.freshest(cached));
        writer.report(writer.freshest(cached), status(DomainPhase.Running), true, List.of());
        answers.add("ok");
        await("Running written").until(() -> log.size() == 3);
        assertThat(log.get(2)).as("no second finalizer write for the same object").isEqualTo("status Running @12");
    }

    @Test
    void aFinalizerTheServerFailsHoldsNoStatusAndIsTriedAgainUntilItLands() {
        DomainConfig cached = object("1");
        writer.ensureFinalizer(cached);
        writer.report(cached, status(DomainPhase.Booting), true, List.of());
        answers.add("503");
        answers.add("ok"); // the status, sent after the failed finalizer
        answers.add("ok"); // the finalizer again
        await("finalizer landed after the status").atMost(Duration.ofSeconds(10)).until(() -> log.size() == 3);
        assertThat(log).containsExactly("finalizer @1", "status Booting @1", "finalizer @11");
        assertThat(conflicts).isEmpty();
    }

    @Test
    void aConflictingFinalizerAsksForAFreshDecisionAndIsQueuedAgainByIt() {
        DomainConfig cached = object("1");
        firstPass(cached);
        answers.add("409");
        await("conflict reported").until(() -> conflicts.size() == 1);
        assertThat(log).as("the status decided on the old object is not sent").containsExactly("finalizer @1");

        DomainConfig fresh = object("5"); // someone else's write: the informer shows it
        firstPass(writer.freshest(fresh));
        answers.add("ok");
        answers.add("ok");
        await("both written").until(() -> log.size() == 3 && answers.isEmpty());
        assertThat(log).containsExactly("finalizer @1", "finalizer @5", "status Booting @11");
    }

    @Test
    void aRefusedFinalizerIsGivenUpAndTheStatusStillGoes() {
        DomainConfig cached = object("1");
        firstPass(cached);
        answers.add("422");
        answers.add("ok");
        await("status written").until(() -> log.size() == 2 && answers.isEmpty());
        assertThat(log).containsExactly("finalizer @1", "status Booting @1");
    }

    @Test
    void noFinalizerForAnObjectThatHoldsItOrIsBeingDeleted() {
        DomainConfig holds = object("1");
        holds.getMetadata().setFinalizers(List.of(DomainConfig.FINALIZER));
        DomainConfig deleting = object("2");
        deleting.getMetadata().setName("other");
        deleting.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
        deleting.getMetadata().setFinalizers(List.of("someone.else/keep"));
        writer.ensureFinalizer(holds);
        writer.ensureFinalizer(deleting);
        writer.report(holds, status(DomainPhase.Booting), true, List.of());
        answers.add("ok");
        await("status written").until(() -> log.size() == 1 && answers.isEmpty());
        assertThat(log).containsExactly("status Booting @1");
    }

    /**
     * Regression (bench create-1000, 5 of 1,000 domains with two Started events): the informer showed the version the
     * finalizer write made before the writer had its answer; taken for someone else's, its status (from before the
     * Running queued behind) was decided on, and Started derived again.
     */
    @Test
    void theVersionTheFinalizerMadeSeenBeforeItsAnswerIsNotDecidedOnAsSomeoneElses() {
        DomainConfig cached = object("1");
        firstPass(cached);
        await("the finalizer is on its way").until(() -> log.size() == 1);
        writer.report(writer.freshest(cached), status(DomainPhase.Running), true, List.of());

        DomainConfig made = object("11"); // the informer already shows what the finalizer write made, status unset
        made.getMetadata().setFinalizers(List.of(DomainConfig.FINALIZER));
        assertThat(writer.freshest(made).getStatus().getPhase()).as("what was decided last, not the server's older status")
            .isEqualTo(DomainPhase.Running);

        answers.add("ok");
        answers.add("ok");
        await("both written").until(() -> log.size() == 2 && answers.isEmpty());
        assertThat(log).containsExactly("finalizer @1", "status Running @11");
        await("asked to decide again on the informer's copy").until(() -> decideAgain.size() == 1);
    }
}
