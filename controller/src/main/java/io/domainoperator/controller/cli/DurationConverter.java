package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.KnobDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Duration flags read the knobs' grammar ({@link KnobDurations}): 90, 90s, 5m, 1h or ISO-8601 (PT90S). */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return KnobDurations.parse("the value", value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
