package io.domainoperator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Options for the JVMs tests start (an agent, a controller, a CLI run), never for the shipped image's or chart's:
 * most of these JVMs live a few seconds, and two cores share dozens of them with API servers and TCG guests.
 * C1 only and the serial collector halve the start-up CPU; a class-data archive per class path (dynamic AppCDS,
 * written by the first JVM that exits normally, under {@code target/test-jvm-cds/}) saves loading and verifying
 * the ~5000 classes of fabric8, Jackson and picocli again at every start. None of it changes what the program does.
 */
public final class TestJvm {
    private static final Path ARCHIVES = Path.of("target", "test-jvm-cds").toAbsolutePath();

    private TestJvm() {}

    /** The {@code java} of the JDK running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The options for a short-lived JVM whose class path is {@code classPath} (for {@code -jar}, the jar alone: its
     * manifest brings the rest). The archive is left out when an entry is a directory: the JDK refuses to write one
     * then, and says so on stdout, which tests read.
     */
    public static List<String> quickStart(List<Path> classPath) {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (!classPath.isEmpty() && classPath.stream().noneMatch(Files::isDirectory)) {
            options.addAll(List.of(
                // A missing, stale (jars rebuilt) or half-written archive is rewritten at exit, silently: the
                // JDK's notes about classes it cannot archive would otherwise land on the program's stdout.
                "-Xlog:cds*=off",
                "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + archiveFor(classPath)));
        }
        return options;
    }

    /** The entries of a class path string, for {@link #quickStart(List)}. */
    public static List<Path> entries(String classPath) {
        return classPath.isBlank() ? List.of()
            : java.util.Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> !e.isBlank()).map(Path::of).toList();
    }

    private static Path archiveFor(List<Path> classPath) {
        try {
            Files.createDirectories(ARCHIVES);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
            classPath.forEach(p -> sha.update(("\n" + p.toAbsolutePath()).getBytes(StandardCharsets.UTF_8)));
            return ARCHIVES.resolve(HexFormat.of().formatHex(sha.digest()).substring(0, 16) + ".jsa");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
