package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.controller.console.KubectlConsole;
import io.domainoperator.controller.console.RawTerminal;
import io.domainoperator.controller.console.SerialConsoleSession;
import io.domainoperator.hypervisor.qemu.QemuConsoleLocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code domain-operator console NAME}: the serial console of a domain on this node, like {@code virsh console}
 * and {@code xl console}: raw pass-through until Ctrl-]. QEMU domains are found in the state directory (their
 * console socket), Xen domains through {@code xl console}. With {@code --kubectl}, from a workstation through
 * {@code kubectl exec} into the agent pod of the domain's node.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = {"Attach to a domain's serial console; Ctrl-] detaches.",
        "On the node: NAME is the domain's name on the hypervisor (spec.displayName, status.domainName).",
        "From a workstation: --kubectl NAME takes the DomainConfig's name and runs the console in its node's agent pod."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:detached (Ctrl-] or end of input), or the domain closed its console",
        "1:the domain does not exist here, is not running, or has no serial console", "2:bad usage"})
public final class ConsoleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The domain (hypervisor name; with --kubectl the DomainConfig).")
    String name;

    @Option(names = "--state-dir", defaultValue = "/var/lib/domain-operator", description = "The agent's state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--hypervisor", paramLabel = "xl|qemu", description = "Backend. Default: qemu when the state directory has the domain, else xl when /proc/xen exists.")
    String hypervisor;

    @Option(names = "--xl", defaultValue = "xl", description = "The xl command (default: ${DEFAULT-VALUE}).")
    String xl;

    @Option(names = "--kubectl", description = "From a workstation: attach through kubectl exec into the agent pod of the DomainConfig's node.")
    boolean viaKubectl;

    @Option(names = {"-n", "--namespace"}, description = "With --kubectl: the DomainConfig's namespace (default: kubectl's).")
    String namespace;

    @Option(names = "--agent-namespace", defaultValue = "domain-operator-system", description = "With --kubectl: the chart's namespace (default: ${DEFAULT-VALUE}).")
    String agentNamespace;

    @Option(names = "--kubectl-command", defaultValue = "kubectl", description = "With --kubectl: the kubectl to run (default: ${DEFAULT-VALUE}).")
    String kubectl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (viaKubectl) {
            return inheritingIo(new KubectlConsole(kubectl, namespace, agentNamespace).execArgv(name, RawTerminal.stdinIsTerminal()));
        }
        if (!name.matches(Patterns.DOMAIN_NAME)) {
            throw new Main.InvalidInputException("'" + name + "' is not a domain name (letters, digits, '.', '_', '-')");
        }
        String backend = hypervisor != null ? hypervisor
            : new QemuConsoleLocator(stateDir).knows(name) || !Files.exists(Path.of("/proc/xen")) ? "qemu" : "xl";
        return switch (backend) {
            case "qemu" -> qemu();
            // xl console has the same semantics (raw, Ctrl-] detaches) and knows where Xen put the pty.
            case "xl" -> inheritingIo(List.of(xl, "console", name));
            default -> throw new Main.InvalidInputException("--hypervisor must be xl or qemu, is '" + backend + "'");
        };
    }

    private int qemu() throws IOException {
        Path socket;
        try {
            socket = new QemuConsoleLocator(stateDir).socketOf(name);
        } catch (IllegalStateException e) {
            throw new ConsoleUnavailableException(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("Connected to domain " + name + " (" + socket + ")");
        err.println("Escape character is ^] (Ctrl-])");
        err.flush();
        SerialConsoleSession.End end;
        try (RawTerminal terminal = RawTerminal.enter()) {
            end = new SerialConsoleSession(socket).run(System.in, System.out);
        }
        System.out.flush();
        err.println();
        err.println(switch (end) {
            case DETACHED, INPUT_CLOSED -> "Detached from domain " + name;
            case CONSOLE_CLOSED -> "The console of domain " + name + " closed (the domain stopped?)";
        });
        err.flush();
        return 0;
    }

    private static int inheritingIo(List<String> argv) throws IOException, InterruptedException {
        return new ProcessBuilder(argv).inheritIO().start().waitFor();
    }

    /** The domain cannot be attached to: exit 1 with the locator's message. */
    static final class ConsoleUnavailableException extends RuntimeException {
        ConsoleUnavailableException(String message) {
            super(message);
        }
    }
}
