package io.domainoperator.controller.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run another subcommand of this very program, e.g. the xl transport {@code migration-pipe} that {@code xl
 * migrate} starts: the running JVM's java with {@code -jar} and our jar (the image's entrypoint; there is no
 * {@code domain-operator} on its PATH), or with the class path and {@link Main} when run from classes (tests, IDEs).
 */
public final class OwnCommandLine {
    private OwnCommandLine() {
    }

    /** {@code java -jar <our jar> <subcommand>}, or {@code java -cp <class path> <Main> <subcommand>}. */
    public static List<String> subcommand(String subcommand) {
        String java = ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> argv = new ArrayList<>(List.of(java));
        Path jar = ourJar();
        if (jar != null) {
            argv.addAll(List.of("-jar", jar.toString()));
        } else {
            argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        argv.add(subcommand);
        return argv;
    }

    private static Path ourJar() {
        try {
            Path source = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(source) && source.toString().endsWith(".jar") ? source : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
