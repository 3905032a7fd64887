package io.domainoperator.controller;

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
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("timer.boot.retry", "10m")))
            .hasMessageContaining("timer.boot.retry must be whole seconds");
        assertThatThrownBy(() -> GlobalKnobs.defaults().with(Map.of("debug.enable.usb", "yes")))
            .hasMessageContaining("debug.enable.usb must be true or false");
    }
}
