package io.domainoperator.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CertificateValidityConverterTest {
    @Test
    void acceptsTheChartsDefaultOfNinetyDays() {
        assertThat(new CertificateValidityConverter().convert("2160h")).isEqualTo(Duration.ofDays(90));
    }

    /** The option's own default goes through the converter: a controller started without the flag must parse. */
    @Test
    void theControllerParsesItsDefaults() {
        ControllerCommand command = new ControllerCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.webhookCertValidity).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void refusesMoreThanTenYearsNamingTheBound() {
        assertThatThrownBy(() -> new CertificateValidityConverter().convert("87601h"))
                .hasMessageContaining("from 1 s to 87600 h").hasMessageContaining("87601h");
    }
}
