package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.KnobDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A serving certificate's lifetime in the duration flags' grammar (2160h, PT2160H, ...), up to ten years: the
 * timers' one-day ceiling ({@link DurationConverter}) would refuse the chart's and the flag's default of 90 days.
 */
public final class CertificateValidityConverter implements ITypeConverter<Duration> {
    static final Duration MAX = Duration.ofDays(3650);

    @Override
    public Duration convert(String value) {
        try {
            return KnobDurations.parse("the value", value, MAX);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
