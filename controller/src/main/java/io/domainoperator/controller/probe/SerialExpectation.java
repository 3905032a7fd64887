package io.domainoperator.controller.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Searches a domain's serial log for the readiness probe's expression, reading only what the guest wrote since the
 * last look. The log is rotated under us (copytruncate): a log shorter than what was read means it started again,
 * and reading restarts at its beginning. The last {@link #CARRY} characters are kept between looks, so a match
 * split across two reads is still found.
 */
final class SerialExpectation {
    static final int CARRY = 4096;
    private static final int MAX_READ = 1 << 20;

    private final Path log;
    private final Pattern expect;
    private long offset;
    private String carry = "";

    SerialExpectation(Path log, Pattern expect) {
        this.log = log;
        this.expect = expect;
    }

    /** Whether the expression appears in what the guest printed up to now (since this object was made). */
    boolean seen() throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                offset = 0;
            }
            if (size - offset > MAX_READ) {
                offset = size - MAX_READ; // a flood since the last look: its end is what matters
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // reads until the size seen above
            }
            offset += buffer.position();
            String text = carry + new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            boolean found = expect.matcher(text).find();
            carry = text.length() > CARRY ? text.substring(text.length() - CARRY) : text;
            return found;
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
