package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalKnobsTest {
    @Test
    void defaultsAreEves() {
        assertThat(GlobalKnobs.defaults().bootRetry()).isEqualTo(Duration.ofSeconds(600));
        assertThat(GlobalKnobs.defaults().debugEnableUsb()).isFalse();
    }

    @Test
    void configMapValuesOverrideFlags() {
        GlobalKnobs k = GlobalKnobs.defaults().with(Map.of("timer.boot.retry", "30", "debug.enable.usb", "true"));
        assertThat(k.bootRetry()).isEqualTo(Duration.ofSeconds(30));
        assertThat(k.debugEnableUsb()).isTrue();
        assertThat(k.shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aTypoIsAnErrorNamingTheKnob() {
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("timer.boot.retyr", "30")))
            .hasMessageContaining("unknown knob 'timer.boot.retyr'").hasMessageContaining("timer.boot.retry");
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("timer.boot.retry", "ten minutes")))
            .hasMessageContaining("timer.boot.retry must be whole seconds");
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("debug.enable.usb", "yes")))
            .hasMessageContaining("debug.enable.usb must be true or false");
    }

    @Test
    void theConfigMapAndTheFlagsReadOneGrammar() {
        for (String text : new String[] {"600", "600s", "10m", "PT10M"}) {
            assertThat(GlobalKnobs.defaults().with(Map.of("timer.boot.retry", text)).bootRetry()).as(text)
                .isEqualTo(Duration.ofMinutes(10))
                .isEqualTo(new io.domainoperator.controller.cli.DurationConverter().convert(text));
        }
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("timer.poll.interval", "0s")))
            .hasMessageContaining("knob timer.poll.interval").hasMessageContaining("from 1 s to 24 h");
    }

    @Test
    void theDefaultsAreTheEnginesAndTheApis() {
        assertThat(GlobalKnobs.defaults().engineKnobs().bootRetry()).isEqualTo(io.domainoperator.reconciler.Knobs.defaults().bootRetry())
            .isEqualTo(Duration.ofSeconds(io.domainoperator.api.v1alpha1.DomainConfigSpec.DEFAULT_BOOT_RETRY_SECONDS));
        assertThat(GlobalKnobs.defaults().shutdownTimeout())
            .isEqualTo(io.domainoperator.reconciler.Knobs.defaults().defaultShutdownTimeout());
    }
}
