package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.reconciler.DomainEvent;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression for issue 16 (API faults): with the API server stopped, a reconcile waited in the status write, so a
 * crashed guest's rebuild waited for the server. Status writes now go through {@link StatusWriter}: a hung write
 * holds no caller, the next decision starts from the status decided last, and the events are recorded once, after
 * the status that carries them lands.
 */
class StatusWriterTest {
    /** A status subresource that hangs until released, then stores with an increasing resourceVersion. */
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<DomainConfig> requests = new CopyOnWriteArrayList<>();
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final List<ResourceID> conflicts = new CopyOnWriteArrayList<>();
    private final AtomicInteger version = new AtomicInteger(10);
    private final StatusWriter writer = new StatusWriter(this::replaceStatus,
        (dc, events) -> events.forEach(e -> recorded.add(e.reason())), new StatusWriter.Listener() {
            @Override
            public void written() {
            }

            @Override
            public void conflicted(ResourceID id) {
                conflicts.add(id);
            }
        });

    @AfterEach
    void close() {
        writer.close();
    }

    private DomainConfig replaceStatus(DomainConfig dc) {
        requests.add(dc);
        String answer;
        try {
            answer = answers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        switch (answer) {
            case "409" -> throw new KubernetesClientException("conflict", 409, null);
            case "503" -> throw new KubernetesClientException("unavailable", 503, null);
            default -> {
                DomainConfig stored = new DomainConfig();
                stored.setMetadata(new ObjectMetaBuilder(dc.getMetadata()).withResourceVersion(Integer.toString(version.incrementAndGet())).build());
                stored.setSpec(dc.getSpec());
                stored.setStatus(dc.getStatus());
                return stored;
            }
        }
    }

    private static DomainConfig object(String resourceVersion, DomainPhase phase) {
        DomainConfig dc = new DomainConfig();
        dc.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("vm").withResourceVersion(resourceVersion).build());
        if (phase != null) {
            dc.setStatus(status(phase));
        }
        return dc;
    }

    private static DomainConfigStatus status(DomainPhase phase) {
        DomainConfigStatus s = new DomainConfigStatus();
        s.setPhase(phase);
        return s;
    }

    private static List<DomainEvent> events(String... reasons) {
        return java.util.Arrays.stream(reasons).map(r -> new DomainEvent(DomainEvent.Type.Normal, r, r)).toList();
    }

    @Test
    void aHungWriteHoldsNoCallerAndTheNextDecisionStartsFromWhatWasDecided() throws Exception {
        DomainConfig cached = object("1", DomainPhase.Running);
        writer.report(cached, status(DomainPhase.Booting), true, events("Rebooted"));
        await("the first write is on its way, and hangs").until(() -> requests.size() == 1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread caller = Thread.ofVirtual().start(() -> {
            // The informer still shows version 1: the decision starts from Booting, not from the stale Running.
            DomainConfig fresh = writer.freshest(cached);
            if (fresh.getStatus().getPhase() == DomainPhase.Booting) {
                writer.report(fresh, status(DomainPhase.Running), true, events("Started"));
                returned.countDown();
            }
        });

        assertThat(returned.await(5, TimeUnit.SECONDS))
            .as("the next decision started from Booting and did not wait for the hung write").isTrue();
        caller.join();
        assertThat(recorded).as("nothing recorded before its status lands").isEmpty();

        answers.add("ok"); // the server answers the first write: version 11
        answers.add("ok");
        await("the latest status written").until(() -> requests.size() == 2 && recorded.size() == 2);
        assertThat(requests.get(1).getStatus().getPhase()).isEqualTo(DomainPhase.Running);
        assertThat(requests.get(1).getMetadata().getResourceVersion())
            .as("decided on version 1, which our own write replaced: goes on from what that write produced").isEqualTo("11");
        assertThat(recorded).containsExactly("Rebooted", "Started");
        assertThat(writer.freshest(cached).getStatus().getPhase()).as("informer behind: still what we wrote").isEqualTo(DomainPhase.Running);
        assertThat(writer.freshest(object("99", DomainPhase.Halted)).getStatus().getPhase())
            .as("a version we did not write is newer than anything we know").isEqualTo(DomainPhase.Halted);
    }

    @Test
    void aStatusDecidedWhileAWriteIsPendingReplacesTheOneWaitingAndEachEventIsRecordedOnce() {
        DomainConfig cached = object("1", null);
        writer.report(cached, status(DomainPhase.Booting), true, events("Booting"));
        await().until(() -> requests.size() == 1);
        writer.report(writer.freshest(cached), status(DomainPhase.Running), true, events("Started"));
        writer.report(writer.freshest(cached), status(DomainPhase.Paused), true, events("Started", "Paused"));

        answers.add("ok");
        answers.add("ok");
        await().until(() -> recorded.size() == 3);
        assertThat(requests).extracting(r -> r.getStatus().getPhase()).as("Running was replaced before it was sent")
            .containsExactly(DomainPhase.Booting, DomainPhase.Paused);
        assertThat(recorded).containsExactly("Booting", "Started", "Paused");
    }

    @Test
    void aFailedWriteIsTriedAgainAndAConflictAsksForAFreshDecisionKeepingItsEvents() {
        DomainConfig cached = object("1", null);
        answers.add("503");
        answers.add("409");
        writer.report(cached, status(DomainPhase.Running), true, events("Started"));

        await("tried again after the 503, then refused").atMost(Duration.ofSeconds(10)).until(() -> conflicts.size() == 1);
        assertThat(requests).hasSize(2);
        assertThat(recorded).isEmpty();
        DomainConfig fresh = object("7", DomainPhase.Booting);
        assertThat(writer.freshest(fresh)).as("after a conflict the server's object counts").isSameAs(fresh);

        // The fresh decision derives Started again: it is recorded once, with its status.
        answers.add("ok");
        writer.report(fresh, status(DomainPhase.Running), true, events("Started"));
        await().until(() -> !recorded.isEmpty());
        assertThat(recorded).containsExactly("Started");
        assertThat(requests.get(2).getMetadata().getResourceVersion()).isEqualTo("7");
    }

    @Test
    void aDecisionOnAVersionSomeoneElseMadeIsSentWithThatVersion() {
        DomainConfig cached = object("1", null);
        answers.add("ok");
        writer.report(cached, status(DomainPhase.Booting), true, events("Booting"));
        await().until(() -> recorded.size() == 1); // landed as version 11
        DomainConfig changedByUser = object("12", DomainPhase.Booting);
        DomainConfig fresh = writer.freshest(changedByUser);
        assertThat(fresh).isSameAs(changedByUser);

        answers.add("ok");
        writer.report(fresh, status(DomainPhase.Running), true, events("Started"));
        await().until(() -> recorded.size() == 2);
        assertThat(requests.get(1).getMetadata().getResourceVersion()).as("not our older 11").isEqualTo("12");
    }

    @Test
    void eventsOfADecisionWithoutAStatusChangeWaitForThePendingWrite() {
        DomainConfig cached = object("1", null);
        writer.report(cached, status(DomainPhase.Running), true, events("Started"));
        await().until(() -> requests.size() == 1);
        writer.report(writer.freshest(cached), status(DomainPhase.Running), false, events("GuestReady"));
        assertThat(recorded).isEmpty();

        answers.add("ok");
        await().until(() -> recorded.size() == 2);
        writer.report(writer.freshest(cached), status(DomainPhase.Running), false, events("Later"));
        assertThat(recorded).containsExactly("Started", "GuestReady", "Later");
    }

    /**
     * Regression (issue 15, create-1000): once the informer showed one of our writes, the versions before it were
     * forgotten, and a pass queued earlier on such an older copy decided on it: Running and Started derived again.
     */
    @Test
    void aPassHoldingACopyOlderThanTheInformersDecidesOnWhatWasWritten() {
        DomainConfig queuedPassCopy = object("1", null);
        writer.report(queuedPassCopy, status(DomainPhase.Booting), true, events("Booting"));
        await().until(() -> requests.size() == 1);
        writer.report(writer.freshest(queuedPassCopy), status(DomainPhase.Running), true, events("Started"));
        answers.add("ok"); // Booting lands as 11
        answers.add("ok"); // Running, sent on 11, lands as 12
        await().until(() -> recorded.contains("Started"));

        assertThat(writer.freshest(object("11", DomainPhase.Booting)).getStatus().getPhase())
            .as("the informer shows our Booting write").isEqualTo(DomainPhase.Running);
        assertThat(writer.freshest(queuedPassCopy).getStatus())
            .as("a pass queued before the informer moved on, still holding version 1 (no status)").isNotNull()
            .extracting(DomainConfigStatus::getPhase).isEqualTo(DomainPhase.Running);
    }
}
