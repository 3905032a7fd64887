package io.domainoperator.device;

import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The fake kernel ({@link FakeSysfs} on {@link Machine}) for an agent in another process: the agent's own process
 * applies the kernel's behaviour to the writes it makes, through the test-only switch
 * {@code DOMAIN_OPERATOR_TEST_KERNEL=io.domainoperator.device.ReplayedKernel} (this class must be on its classpath).
 * Every write and module command is appended to {@code <root>.kernel-log} (forced to disk) before it takes
 * effect, as a sysfs store completes once the syscall is made; a new agent process rebuilds the machine in
 * {@code root} from its boot state and replays the log, so the kernel's state outlives the agent (a SIGKILL
 * included) as a real kernel does. Tests read the result from the files ({@code driver} links) with
 * {@link RootedSysfs}.
 */
public final class ReplayedKernel implements Sysfs, CommandRunner {
    private final FakeSysfs kernel;
    private final FakeCommandRunner commands;
    private final Path log;

    private ReplayedKernel(Path root) {
        this.log = logOf(root);
        wipe(root);
        this.kernel = Machine.boot(root);
        this.commands = new FakeCommandRunner(kernel);
        replay();
    }

    /** What the switch calls: the machine in {@code root} as the log left it. */
    public static HostKernel open(Path root) {
        ReplayedKernel k = new ReplayedKernel(root);
        return new HostKernel(k, k);
    }

    /** The log beside the tree: {@code /x/sysfs} logs to {@code /x/sysfs.kernel-log}. */
    public static Path logOf(Path root) {
        return root.resolveSibling(root.getFileName() + ".kernel-log");
    }

    private void replay() {
        if (!Files.exists(log)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split("\t");
                try {
                    switch (f[0]) {
                        case "write" -> kernel.write(f[1], f.length > 2 ? f[2] : "");
                        case "run" -> commands.runAllowingFailure(List.of(f).subList(1, f.length), Duration.ofSeconds(1));
                        default -> throw new IllegalStateException("unknown kernel log line: " + line);
                    }
                } catch (SysfsException | UnsupportedOperationException e) {
                    // it failed the first time too, and changed nothing then
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(String line) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void wipe(Path root) {
        try {
            Files.createDirectories(root);
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(root)).toList()) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void write(String path, String value) {
        if (path.contains("\t") || path.contains("\n") || value.contains("\t") || value.strip().contains("\n")) {
            throw new SysfsException(path, "the fake kernel's log cannot hold '" + value + "'", null);
        }
        record("write\t" + path + "\t" + value.strip());
        kernel.write(path, value);
    }

    @Override
    public synchronized Optional<String> read(String path) {
        return kernel.read(path);
    }

    @Override
    public synchronized List<String> list(String dir) {
        return kernel.list(dir);
    }

    @Override
    public synchronized Optional<String> readlink(String path) {
        return kernel.readlink(path);
    }

    @Override
    public synchronized boolean exists(String path) {
        return kernel.exists(path);
    }

    @Override
    public synchronized CommandResult run(List<String> argv, Duration timeout) {
        record("run\t" + String.join("\t", argv));
        return commands.run(argv, timeout);
    }

    @Override
    public synchronized CommandResult runAllowingFailure(List<String> argv, Duration timeout) {
        record("run\t" + String.join("\t", argv));
        return commands.runAllowingFailure(argv, timeout);
    }
}
