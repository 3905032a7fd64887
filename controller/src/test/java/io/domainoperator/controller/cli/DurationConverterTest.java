package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationConverterTest {
    @ParameterizedTest
    @CsvSource({"600,600", "90s,90", "5m,300", "1h,3600", "PT30S,30"})
    void parses(String text, long seconds) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @CsvSource({"soon", "5d", "''"})
    void rejectsWithTheExpectedForm(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).hasMessageContaining("e.g. 30s, 5m, 1h");
    }
}
