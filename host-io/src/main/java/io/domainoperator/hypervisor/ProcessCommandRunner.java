package io.domainoperator.hypervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs commands as child processes, reading stdout and stderr concurrently so neither pipe can fill and block. */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        CommandResult result = runAllowingFailure(argv, timeout);
        if (!result.succeeded()) {
            throw new CommandException(argv, result.exitCode(), result.stderr(), "exited with " + result.exitCode(), null);
        }
        return result;
    }

    @Override
    public CommandResult runAllowingFailure(List<String> argv, Duration timeout) {
        LOG.debug("running {}", argv);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new CommandException(argv, -1, "", "could not start (" + e.getMessage() + ")", e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new CommandException(argv, -1, stderr.getNow(""), "timed out after " + timeout.toSeconds() + " s and was killed", null);
            }
            return new CommandResult(argv, process.exitValue(), stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException(argv, -1, "", "was interrupted", e);
        } catch (ExecutionException e) {
            throw new CommandException(argv, -1, "", "output could not be read", e.getCause());
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }
}
