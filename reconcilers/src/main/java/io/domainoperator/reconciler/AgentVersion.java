package io.domainoperator.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's version as the journal records it ({@link StartedBy#agentVersion()}), ordered as Maven and semver order
 * releases: numeric parts compared as numbers ({@code 0.10.0 > 0.9.2}), missing parts as 0, and a version with a
 * qualifier ({@code 0.2.0-SNAPSHOT}, {@code 0.2.0-rc1}) before the release it leads to. A version that does not start
 * with a number ({@code dev}, a build from classes; {@code unknown}, a journal without one) is comparable with
 * nothing: {@link #parse} is empty and rule 12 then does not compare.
 */
record AgentVersion(List<Integer> numbers, String qualifier) implements Comparable<AgentVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)*)(?:[-.+]?(.*))?");

    AgentVersion {
        numbers = List.copyOf(numbers);
        qualifier = qualifier == null ? "" : qualifier;
    }

    static Optional<AgentVersion> parse(String version) {
        if (version == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(version.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Integer> numbers = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            try {
                numbers.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more digits than any version has
            }
        }
        return Optional.of(new AgentVersion(numbers, m.group(2)));
    }

    @Override
    public int compareTo(AgentVersion o) {
        for (int i = 0; i < Math.max(numbers.size(), o.numbers.size()); i++) {
            int c = Integer.compare(i < numbers.size() ? numbers.get(i) : 0, i < o.numbers.size() ? o.numbers.get(i) : 0);
            if (c != 0) {
                return c;
            }
        }
        if (qualifier.isEmpty() != o.qualifier.isEmpty()) {
            return qualifier.isEmpty() ? 1 : -1; // the release comes after its pre-releases and snapshots
        }
        return qualifier.compareTo(o.qualifier);
    }

    /** Whether {@code older} is known to be an earlier version than {@code newer}; false when either is not comparable. */
    static boolean isOlder(String older, String newer) {
        Optional<AgentVersion> a = parse(older);
        Optional<AgentVersion> b = parse(newer);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) < 0;
    }
}
