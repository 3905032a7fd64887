package io.domainoperator.controller.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class EscapedMessageConverterTest {
    @Test
    void aValueWithANewlineStaysOnItsLogLine() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("x");
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "{}: created", null,
            new Object[] {"vm\n12:00:00.000 ERROR forged"});

        assertThat(new EscapedMessageConverter().convert(event)).isEqualTo("vm\\n12:00:00.000 ERROR forged: created");
    }

    @Test
    void theShippedLogConfigurationUsesIt() throws Exception {
        try (var in = getClass().getResourceAsStream("/logback.xml")) {
            assertThat(new String(in.readAllBytes())).contains("conversionWord=\"msg\"")
                .contains(EscapedMessageConverter.class.getName());
        }
    }
}
