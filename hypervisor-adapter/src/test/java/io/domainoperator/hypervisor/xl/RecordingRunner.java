package io.domainoperator.hypervisor.xl;

import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Records every argv and answers from a queue of canned results, so tests can check argv exactly. */
final class RecordingRunner implements CommandRunner {
    final List<List<String>> calls = new ArrayList<>();
    private final Deque<CommandResult> answers = new ArrayDeque<>();

    RecordingRunner answer(int exitCode, String stdout, String stderr) {
        answers.add(new CommandResult(List.of("?"), exitCode, stdout, stderr));
        return this;
    }

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
        calls.add(List.copyOf(argv));
        CommandResult canned = answers.poll();
        if (canned == null) {
            throw new AssertionError("unexpected command " + argv);
        }
        return new CommandResult(argv, canned.exitCode(), canned.stdout(), canned.stderr());
    }
}
