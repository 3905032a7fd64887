package io.domainoperator.device;

import io.domainoperator.hypervisor.CommandException;
import io.domainoperator.hypervisor.CommandResult;
import io.domainoperator.hypervisor.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** modprobe and rmmod against a {@link FakeSysfs}'s module table; records every argv. */
final class FakeCommandRunner implements CommandRunner {
    private final FakeSysfs kernel;
    private final List<List<String>> commands = new ArrayList<>();

    FakeCommandRunner(FakeSysfs kernel) {
        this.kernel = kernel;
    }

    List<List<String>> commands() {
        return List.copyOf(commands);
    }

    void clear() {
        commands.clear();
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        CommandResult r = runAllowingFailure(argv, timeout);
        if (!r.succeeded()) {
            throw new CommandException(argv, r.exitCode(), r.stderr(), "exited with " + r.exitCode(), null);
        }
        return r;
    }

    @Override
    public CommandResult runAllowingFailure(List<String> argv, Duration timeout) {
        commands.add(List.copyOf(argv));
        String module = argv.get(1);
        return switch (argv.getFirst()) {
            case "modprobe" -> kernel.loadModule(module) ? new CommandResult(argv, 0, "", "")
                : new CommandResult(argv, 1, "", "modprobe: FATAL: Module " + module + " not found in directory /lib/modules/6.1.0");
            case "rmmod" -> {
                String error = kernel.unloadModule(module);
                yield new CommandResult(argv, error == null ? 0 : 1, "", error == null ? "" : error);
            }
            default -> throw new CommandException(argv, -1, "", "could not start (not modelled by the fake)", null);
        };
    }
}
