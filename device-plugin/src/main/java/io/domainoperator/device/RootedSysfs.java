package io.domainoperator.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The production {@link Sysfs}: plain file operations below a root ({@code /sys} on a real node). */
public final class RootedSysfs implements Sysfs {
    private final Path root;

    public RootedSysfs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(resolve(path), StandardCharsets.UTF_8).stripTrailing());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SysfsException(path, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void write(String path, String value) {
        // No CREATE: a missing attribute means the driver or device is not there, which must be an error.
        // One write() call, because a sysfs store sees each write separately.
        try (FileChannel ch = FileChannel.open(resolve(path), StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
            int written = ch.write(buf);
            if (buf.hasRemaining()) {
                throw new SysfsException(path, "short write of '" + value + "' (" + written + " bytes)", null);
            }
        } catch (NoSuchFileException e) {
            throw new SysfsException(path, "no such attribute; is the driver loaded and the device present?", e);
        } catch (IOException e) {
            throw new SysfsException(path, "kernel refused '" + value.strip() + "' (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public List<String> list(String dir) {
        Path p = resolve(dir);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SysfsException(dir, "cannot list (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Optional<String> readlink(String path) {
        Path p = resolve(path);
        if (!Files.isSymbolicLink(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(p).toString());
        } catch (NoSuchFileException | NotLinkException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SysfsException(path, "cannot read link (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS) || Files.exists(resolve(path));
    }

    private Path resolve(String path) {
        if (path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("sysfs path must be relative and stay below the root: " + path);
        }
        return root.resolve(path);
    }
}
