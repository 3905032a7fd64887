package io.domainoperator.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The start line and headers of one HTTP/1.1 message, read from and written to a socket as bytes, and the
 * body framing rules of RFC 9112 ({@code Content-Length}, {@code chunked}, until close) that
 * {@link ApiFaultProxy} needs to pass a message on without understanding it.
 */
record HttpHead(String startLine, List<String[]> headers) {

    /** The head of the next message, or empty when the peer closed the connection between messages. */
    static Optional<HttpHead> read(InputStream in) throws IOException {
        String start = line(in);
        if (start == null) {
            return Optional.empty();
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
        }
        return Optional.of(new HttpHead(start, headers));
    }

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    /** This head without the named headers. */
    HttpHead without(String... names) {
        List<String[]> kept = new ArrayList<>();
        for (String[] h : headers) {
            if (List.of(names).stream().noneMatch(n -> n.equalsIgnoreCase(h[0]))) {
                kept.add(h);
            }
        }
        return new HttpHead(startLine, kept);
    }

    HttpHead with(String name, String value) {
        List<String[]> more = new ArrayList<>(without(name).headers());
        more.add(new String[] {name, value});
        return new HttpHead(startLine, more);
    }

    void write(OutputStream out) throws IOException {
        StringBuilder s = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> s.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        out.write(s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    boolean chunked() {
        return header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
    }

    long contentLength() {
        return header("Content-Length").map(String::trim).map(Long::parseLong).orElse(-1L);
    }

    /** The status code of a response head. */
    int status() {
        String[] parts = startLine.split(" ", 3);
        return Integer.parseInt(parts[1]);
    }

    /**
     * Copies the body that follows this head from {@code in} to {@code out}, flushing each chunk as it comes (a
     * watch is one chunked response that lasts as long as the watch). {@code untilClose}: a response with neither
     * length nor chunking ends when the server closes.
     */
    void copyBody(InputStream in, OutputStream out, boolean untilClose) throws IOException {
        if (chunked()) {
            for (;;) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    throw new EOFException("connection closed inside a chunked body");
                }
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    for (String trailer = line(in); trailer != null; trailer = line(in)) {
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (trailer.isEmpty()) {
                            break;
                        }
                    }
                    out.flush();
                    return;
                }
                copy(in, out, size + 2L); // the data and its CRLF
                out.flush();
            }
        }
        long length = contentLength();
        if (length >= 0) {
            copy(in, out, length);
        } else if (untilClose) {
            in.transferTo(out);
        }
        out.flush();
    }

    /** Reads and discards the body that follows this (request) head. */
    byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        copyBody(in, body, false);
        return body.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[8192];
        long left = n;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("connection closed with " + left + " body bytes to come");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    /** One CRLF-terminated line without its terminator; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String s = bytes.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            bytes.write(b);
        }
    }
}
