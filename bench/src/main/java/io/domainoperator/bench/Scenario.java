package io.domainoperator.bench;

import java.util.List;

/** One measurement, selected by name with {@code -Dbench.scenarios=NAME,...}. */
public interface Scenario {
    String name();

    /** One line for the table of scenarios in RESULTS.md. */
    String description();

    List<Figure> run(BenchSettings settings);
}
