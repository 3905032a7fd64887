package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.KnobDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A serving certificate's lifetime: the knobs' duration grammar, but from 30 s (the rotation test) to ten years,
 * since certificates live for months where knobs stay under a day.
 */
public final class CertificateValidityConverter implements ITypeConverter<Duration> {
    static final Duration MIN = Duration.ofSeconds(30);
    static final Duration MAX = Duration.ofDays(3650);

    @Override
    public Duration convert(String value) {
        try {
            return KnobDurations.parse("the value", value, MIN, MAX);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
