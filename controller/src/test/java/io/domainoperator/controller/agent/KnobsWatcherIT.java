package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.controller.standalone.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Knobs from a ConfigMap, bound at start and on change (fabric8's API emulation stands in for a cluster). */
class KnobsWatcherIT {

    @Test
    void configMapOverridesFlagsAtStartAndOnChangeAndSurvivesABadValue() {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            var client = server.client();
            client.configMaps().inNamespace("ops").resource(new ConfigMapBuilder().withNewMetadata().withName("knobs")
                .withNamespace("ops").endMetadata().addToData("timer.boot.retry", "30").build()).create();
            AtomicReference<GlobalKnobs> applied = new AtomicReference<>();
            var history = new java.util.concurrent.CopyOnWriteArrayList<GlobalKnobs>();

            try (KnobsWatcher ignored = new KnobsWatcher(client, "ops/knobs", GlobalKnobs.defaults(), k -> {
                history.add(k);
                applied.set(k);
            })) {
                await("bound at start").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(applied.get().bootRetry()).isEqualTo(Duration.ofSeconds(30)));

                client.configMaps().inNamespace("ops").withName("knobs").edit(cm -> {
                    cm.getData().put("debug.enable.usb", "true");
                    return cm;
                });
                await("bound on change").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(applied.get().debugEnableUsb()).isTrue());

                client.configMaps().inNamespace("ops").withName("knobs").edit(cm -> {
                    cm.getData().put("timer.boot.retry", "ten minutes");
                    return cm;
                });
                client.configMaps().inNamespace("ops").withName("knobs").edit(cm -> {
                    cm.getData().put("timer.poll.interval", "2");
                    cm.getData().put("timer.boot.retry", "45");
                    return cm;
                });
                await("the fixed map applies").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(applied.get().bootRetry()).isEqualTo(Duration.ofSeconds(45)));
                assertThat(history).extracting(GlobalKnobs::bootRetry).as("the bad value was never applied")
                    .containsOnly(Duration.ofSeconds(30), Duration.ofSeconds(45));
                assertThat(applied.get().pollInterval()).isEqualTo(Duration.ofSeconds(2));
            }
        }
    }
}
