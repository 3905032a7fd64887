package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The uuids of the domains this operator created, kept in a small file in the run dir so that it survives agent
 * restarts. A domain whose uuid is not here is foreign and never touched. The entry is written before
 * {@code xl create} runs, so a crash between the two cannot leave a domain of ours that looks foreign.
 *
 * <p>File format, one domain a line: {@code <uuid> <name> <maxMemoryBytes>}.
 */
final class DomainRegistry {
    record Entry(UUID uuid, String name, long maxMemoryBytes) {
    }

    private final Path file;
    private final Map<UUID, Entry> entries = new LinkedHashMap<>();

    DomainRegistry(Path file) {
        this.file = file;
        load();
    }

    synchronized Optional<Entry> get(UUID uuid) {
        return Optional.ofNullable(uuid == null ? null : entries.get(uuid));
    }

    synchronized void add(Entry entry) {
        entries.put(entry.uuid(), entry);
        save();
    }

    synchronized void removeByName(String name) {
        if (entries.values().removeIf(e -> e.name().equals(name))) {
            save();
        }
    }

    synchronized void remove(UUID uuid) {
        if (entries.remove(uuid) != null) {
            save();
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length == 3) {
                    Entry entry = new Entry(UUID.fromString(fields[0]), fields[1], Long.parseLong(fields[2]));
                    entries.put(entry.uuid(), entry);
                } else if (!line.isBlank()) {
                    throw new IllegalStateException(file + " has a malformed line '" + line
                        + "'; expected '<uuid> <name> <maxMemoryBytes>'. Fix or remove the line (foreign domains are never touched)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the domain registry " + file, e);
        }
    }

    private void save() {
        StringBuilder text = new StringBuilder();
        entries.values().forEach(e -> text.append(e.uuid()).append(' ').append(e.name()).append(' ')
            .append(e.maxMemoryBytes()).append('\n'));
        AtomicFiles.write(file, text.toString());
    }
}
