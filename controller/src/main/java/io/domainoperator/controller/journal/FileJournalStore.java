package io.domainoperator.controller.journal;

import io.domainoperator.controller.crash.CrashPoint;
import io.domainoperator.controller.crash.CrashSwitch;
import io.domainoperator.hypervisor.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The node-local journal of intents: one JSON file per domain under a state directory, written atomically
 * (temp file, fsync, rename, fsync of the directory) so that a process killed at any instant leaves either
 * the old or the new entry, never a torn one. A file that cannot be read is kept aside (renamed
 * {@code .corrupt-<n>}) rather than overwritten, so no journal entry is ever lost silently.
 *
 * <p>Entries are cached in memory and written through: the agent is the directory's only writer, so a reread
 * (every reconcile reads its journal) costs no disk access, and listing keys costs no directory scan. The
 * directory is listed once, when the store is opened; an entry is read from disk at most once.
 *
 * <p>An operation's outcome may be written behind ({@link #saveSoon}): in memory at once, on disk a moment later or
 * with the domain's next durable save, whichever comes first ({@link WriteBehind} says why that is safe). Close the
 * store to write what is still waiting.
 */
public final class FileJournalStore<T> implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileJournalStore.class);
    private static final String SUFFIX = ".json";
    private final Path dir;
    private final Codec<T, ?> codec;
    private final ObjectMapper mapper;
    /** Key to entry; a key that was looked up and has no file maps to {@link Optional#empty()}. Sorted, for prefixes. */
    private final ConcurrentSkipListMap<String, Optional<T>> cache = new ConcurrentSkipListMap<>();
    /** Keys with a file on disk: listed once when the store opens, kept up to date by save and delete. */
    private final ConcurrentSkipListSet<String> onDisk = new ConcurrentSkipListSet<>();
    private final AtomicLong diskReads = new AtomicLong();
    private final WriteBehind behind = new WriteBehind(this::writeCurrent);
    private volatile boolean closed;
    /** Why the last write failed (read-only or full state directory), or null once a write succeeds again. */
    private volatile String writeProblem;

    /** A store that writes each entry as it is. */
    public FileJournalStore(Path dir, Class<T> type) {
        this(dir, new Codec<>(type, t -> t, d -> d));
    }

    /**
     * A store that writes each entry in an on-disk shape of its own ({@code fileType}), converting on the way out
     * and in: the file format can stay put while the in-memory type is regrouped.
     */
    public static <T, D> FileJournalStore<T> mapped(Path dir, Class<D> fileType, Function<T, D> toFile,
                                                    Function<D, T> fromFile) {
        return new FileJournalStore<>(dir, new Codec<>(fileType, toFile, fromFile));
    }

    private record Codec<T, D>(Class<D> fileType, Function<T, D> toFile, Function<D, T> fromFile) {
        T read(ObjectMapper mapper, Path file) throws IOException {
            D onDisk = mapper.readValue(file.toFile(), fileType);
            if (onDisk == null) {
                throw new IOException("the entry is JSON null");
            }
            return fromFile.apply(onDisk);
        }

        byte[] write(ObjectMapper mapper, T entry) throws IOException {
            return mapper.writeValueAsBytes(toFile.apply(entry));
        }
    }

    private FileJournalStore(Path dir, Codec<T, ?> codec) {
        this.dir = dir;
        this.codec = codec;
        this.mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal directory " + dir, e);
        }
        onDisk.addAll(listDirectory());
    }

    public Path directory() {
        return dir;
    }

    /** The entry for key ("namespace/name"), or empty when none was written. Read from disk once, then from memory. */
    public Optional<T> load(String key) {
        Optional<T> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        // First look at this key: the file decides (one stat), whether or not it was there when the store opened.
        Optional<T> read = Files.exists(fileFor(key)) ? readFile(key) : Optional.empty();
        // An entry saved meanwhile by another thread wins: it is newer than what was read.
        Optional<T> raced = cache.putIfAbsent(key, read);
        return raced == null ? read : raced;
    }

    /** How many entries were read from disk since the store was opened (each at most once). */
    public long diskReads() {
        return diskReads.get();
    }

    private Optional<T> readFile(String key) {
        Path file = fileFor(key);
        diskReads.incrementAndGet();
        try {
            Optional<T> entry = Optional.of(codec.read(mapper, file));
            onDisk.add(key);
            return entry;
        } catch (NewerJournalException e) {
            // A newer agent's entry: not ours to judge, so neither moved aside nor rewritten (rule 12).
            onDisk.add(key);
            throw e;
        } catch (IOException | RuntimeException e) {
            // RuntimeException: JSON of the wrong shape that the mapping to the journal cannot take (a hand edit).
            Path aside = quarantine(file);
            onDisk.remove(key);
            throw new JournalException("journal entry " + file + " is unreadable (" + e.getMessage()
                + "); kept as " + aside + " for inspection", e);
        }
    }

    /** Writes the entry to disk (atomically, synced), then to the cache: a failed write leaves no cached entry. */
    public void save(String key, T entry) {
        ReentrantLock lock = behind.lockFor(key);
        lock.lock();
        try {
            try {
                write(key, entry);
            } catch (JournalWriteException e) {
                // What is on disk is now unknown (old or new entry): the next load reads it again. An outcome that was
                // waiting to be written behind is dropped with it, as if the process had died before writing it.
                cache.remove(key);
                behind.settled(key);
                throw e;
            }
            behind.settled(key);
            onDisk.add(key);
            cache.put(key, Optional.of(entry));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps the entry in memory now and writes it to disk within {@link WriteBehind#DELAY}, unless a {@link #save}
     * of the key writes it first. For an operation's outcome only, never for an intent (see {@link WriteBehind}).
     */
    public void saveSoon(String key, T entry) {
        if (closed) {
            save(key, entry);
            return;
        }
        ReentrantLock lock = behind.lockFor(key);
        lock.lock();
        try {
            onDisk.add(key);
            cache.put(key, Optional.of(entry));
            behind.schedule(key);
            CrashSwitch.reached(CrashPoint.JOURNAL_OUTCOME_HELD);
        } finally {
            lock.unlock();
        }
    }

    /** Entries held in memory and not yet written ({@link #saveSoon}). */
    public int pendingWrites() {
        return behind.pendingCount();
    }

    /** Writes every entry still held in memory now. */
    public void flush() {
        behind.flushAll();
    }

    /** Writes what is still waiting; later saves are written at once. */
    @Override
    public void close() {
        closed = true;
        behind.close();
    }

    /** Called under key's lock by the write-behind thread: writes the entry the cache holds now. */
    private boolean writeCurrent(String key) {
        Optional<T> current = cache.get(key);
        if (current == null || current.isEmpty()) {
            return true; // deleted meanwhile, or dropped by a failed save: nothing newer than the file to write
        }
        try {
            write(key, current.get());
            return true;
        } catch (JournalWriteException e) {
            LOG.warn("{}: the operation's outcome is not on disk yet ({}); trying again in {} s", key, e.getMessage(),
                WriteBehind.RETRY.toSeconds());
            return false;
        }
    }

    private void write(String key, T entry) {
        Path file = fileFor(key);
        try {
            CrashSwitch.reached(CrashPoint.JOURNAL_WRITE_BEFORE);
            AtomicFiles.write(file, codec.write(mapper, entry));
            CrashSwitch.reached(CrashPoint.JOURNAL_WRITE_AFTER);
            writeProblem = null;
        } catch (IOException | UncheckedIOException e) {
            writeProblem = "cannot write journal entry " + file + ": " + e.getMessage();
            throw new JournalWriteException(writeProblem, e);
        }
    }

    /**
     * Why the journal cannot be written now (the last write failed: a read-only or full state directory), or
     * empty when the last write succeeded. Readiness reports it; the next successful write clears it.
     */
    public Optional<String> writeProblem() {
        return Optional.ofNullable(writeProblem);
    }

    public void delete(String key) {
        ReentrantLock lock = behind.lockFor(key);
        lock.lock();
        try {
            behind.settled(key);
            Files.deleteIfExists(fileFor(key));
            onDisk.remove(key);
            cache.put(key, Optional.empty());
            AtomicFiles.syncDirectory(dir);
        } catch (IOException e) {
            cache.remove(key);
            throw new JournalException("cannot delete journal entry for " + key + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Keys of every entry on disk, from memory. */
    public List<String> keys() {
        return List.copyOf(onDisk);
    }

    /** Keys on disk that start with prefix, from memory, in time proportional to their number. */
    public List<String> keys(String prefix) {
        return List.copyOf(onDisk.subSet(prefix, prefix + Character.MAX_VALUE));
    }

    private List<String> listDirectory() {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> keys = new ArrayList<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                .forEach(n -> keys.add(decode(n.substring(0, n.length() - SUFFIX.length()))));
            return keys;
        } catch (IOException e) {
            throw new JournalException("cannot list journal directory " + dir, e);
        }
    }

    private Path fileFor(String key) {
        return dir.resolve(encode(key) + SUFFIX);
    }

    /** "ns/name" -> "ns%2Fname": reversible, and never a path separator or a hidden file. */
    static String encode(String key) {
        if (key.isEmpty() || key.startsWith(".")) {
            throw new IllegalArgumentException("not a journal key: '" + key + "'");
        }
        return key.replace("%", "%25").replace("/", "%2F");
    }

    static String decode(String fileStem) {
        return fileStem.replace("%2F", "/").replace("%25", "%");
    }

    private Path quarantine(Path file) {
        for (int n = 1; ; n++) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + n);
            if (!Files.exists(aside)) {
                try {
                    Files.move(file, aside);
                } catch (IOException e) {
                    return file;
                }
                return aside;
            }
        }
    }
}
