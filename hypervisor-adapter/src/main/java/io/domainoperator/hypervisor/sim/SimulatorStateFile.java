package io.domainoperator.hypervisor.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's domains on disk ({@code SimulatorBuilder.stateFile}), so that they outlive the agent process as
 * real guests outlive it: the restart-safety and crash tests kill the agent and start another on the same node, whose
 * simulator must find the same domains, ids, phases, vCPU time and pending shutdowns.
 *
 * <p>One small file per domain, so that a call costs the same with ten domains as with 10,000, as on a real
 * hypervisor (Xen keeps domains in its memory and xenstore; each QEMU guest is a process of its own). For the file
 * {@code sim/domains.json} the simulator is given, the domains live in {@code sim/domains.d/}: domain {@code web} in
 * {@code web.json} (see {@link DomainFileNames}), and the next domain id in {@code next-id}. A change writes only the
 * changed domain's file, a removed domain's file is deleted, and a create writes {@code next-id} too: ids are never
 * reused, not even the highest one's after it was destroyed and the agent restarted (the agent tells a restarted
 * domain by its new domid, as Xen does not reuse one soon). A running guest's vCPU time growing is no change to
 * write: its file says when its figure was brought up to date, and it accrues from there after a restart
 * ({@link StoredDomain}), so a list writes nothing unless a shutdown or crash fell due.
 *
 * <p>Atomic, not durable: each file is written beside itself and renamed over the old one, without fsync (unlike
 * {@link io.domainoperator.hypervisor.AtomicFiles}). That survives a killed agent, as the written pages outlive the
 * process; a host crash or power loss ends every real guest, so there is nothing a simulated one must survive it with.
 *
 * <p>Upgrade: a {@code domains.json} of the single-file format (every domain in one file, rewritten whole on every
 * change) found at start is migrated: its domains are written to the directory, then it is renamed to
 * {@code domains.json.migrated}. A file that cannot be read stops the start with its name and the fix; none is skipped,
 * as a skipped file would be a guest that vanished.
 */
final class SimulatorStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorStateFile.class);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final String NEXT_ID = "next-id";

    /** The single file of the format before; read once to migrate it. */
    private final Path legacyFile;
    private final Path dir;
    private final Object writing = new Object();
    /** The change counter of the last batch written. */
    private volatile long durable;
    /** Told of every file written or deleted (a test counts them); guarded by {@code writing}. */
    private Consumer<Path> written = path -> { };

    SimulatorStateFile(Path file) {
        this.legacyFile = file;
        String name = file.getFileName().toString();
        this.dir = file.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".d");
    }

    Path directory() {
        return dir;
    }

    /** The single file's form, kept for the migration. */
    record Snapshot(int nextId, List<StoredDomain> domains) {
    }

    /** The domains and next id as stored, by id. */
    record Loaded(int nextId, List<StoredDomain> domains) {
    }

    /**
     * What changed since the last batch, copied under the simulator's lock: its change counter, the next id when a
     * create took one (else null), and each changed domain by name (null: removed).
     */
    record Batch(long version, Integer nextId, Map<String, StoredDomain> domains) {
    }

    /**
     * Returns once the changes up to {@code version} or later ones are on disk. One batch at a time: callers that wait
     * meanwhile find their change written by it and return without a write of their own. A batch that fails is handed
     * back ({@code putBack}) so that the next one writes it again.
     */
    void saveAtLeast(long version, Supplier<Batch> take, Consumer<Batch> putBack) {
        if (durable >= version) {
            return;
        }
        synchronized (writing) {
            if (durable >= version) {
                return;
            }
            Batch batch = take.get();
            try {
                write(batch);
            } catch (IOException e) {
                putBack.accept(batch);
                throw new UncheckedIOException("cannot write the simulator's state in " + dir + " (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                putBack.accept(batch);
                throw e;
            }
            durable = batch.version();
        }
    }

    private void write(Batch batch) throws IOException {
        Files.createDirectories(dir);
        if (batch.nextId() != null) {
            replace(dir.resolve(NEXT_ID), (batch.nextId() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, StoredDomain> e : batch.domains().entrySet()) {
            Path file = dir.resolve(DomainFileNames.of(e.getKey()));
            if (e.getValue() == null) {
                Files.deleteIfExists(file);
                written.accept(file);
            } else {
                replace(file, MAPPER.writeValueAsBytes(e.getValue()));
            }
        }
    }

    /** Temp file and atomic rename, no fsync: see the class comment. The temp name starts with a dot, no domain's does. */
    private void replace(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        written.accept(target);
    }

    void onWrite(Consumer<Path> listener) {
        synchronized (writing) {
            written = listener;
        }
    }

    /** The stored domains by id and the next id, after migrating a single file of the format before. */
    Loaded load() {
        try {
            migrate();
            if (!Files.isDirectory(dir)) {
                return new Loaded(1, List.of());
            }
            // A process killed mid-write leaves its temp file; the domain's own file is the one before.
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
                for (Path temp : temps) {
                    Files.deleteIfExists(temp);
                }
            }
            List<StoredDomain> domains = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
                for (Path file : files) {
                    domains.add(read(file));
                }
            }
            domains.sort(Comparator.comparingInt(StoredDomain::id));
            int nextId = Math.max(readNextId(), domains.isEmpty() ? 1 : domains.getLast().id() + 1);
            return new Loaded(nextId, domains);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's state in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** Checks a domain's file as it loads it, so that a bad one names itself instead of failing a later call. */
    static StoredDomain read(Path file) {
        try {
            StoredDomain d = MAPPER.readValue(file.toFile(), StoredDomain.class);
            d.revive(Instant.EPOCH);
            if (!DomainFileNames.of(d.name()).equals(file.getFileName().toString())) {
                throw new IllegalArgumentException("it holds domain " + d.name() + ", whose file is " + DomainFileNames.of(d.name()));
            }
            return d;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the simulator's domain file " + file + " is unreadable (" + e.getMessage()
                + "); move it aside to start without that domain (the simulator then forgets it)", e);
        }
    }

    private int readNextId() throws IOException {
        Path file = dir.resolve(NEXT_ID);
        if (!Files.exists(file)) {
            return 1;
        }
        String text = Files.readString(file).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the simulator's id counter " + file + " holds '" + text + "', not a number; "
                + "move it aside: the next id is then one above the highest domain's", e);
        }
    }

    /** Writes the old single file's domains and next id to the directory, then renames the file aside. */
    private void migrate() throws IOException {
        if (!Files.isRegularFile(legacyFile)) {
            return;
        }
        Snapshot old;
        try {
            old = MAPPER.readValue(legacyFile.toFile(), Snapshot.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator's state " + legacyFile + " is unreadable; move it aside to start empty", e);
        }
        // Written before the rename: a start killed half-way migrates again, over the same files.
        Map<String, StoredDomain> domains = new java.util.LinkedHashMap<>();
        old.domains().forEach(d -> domains.put(d.name(), d));
        write(new Batch(0, old.nextId(), domains));
        Path aside = legacyFile.resolveSibling(legacyFile.getFileName() + ".migrated");
        Files.move(legacyFile, aside, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("simulator: {} domain(s) migrated from {} to one file each in {}; the old file is now {}",
            old.domains().size(), legacyFile, dir, aside);
    }
}
