package io.domainoperator.controller.cli;

import io.domainoperator.api.v1alpha1.Untrusted;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code domain-operator agent|controller|standalone|doctor|console|import-xl|export-xl}. */
@Command(name = "domain-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Runs Xen/QEMU virtual machines declared as DomainConfig objects.",
    subcommands = {AgentCommand.class, StandaloneCommand.class, ControllerCommand.class, DoctorCommand.class, ConsoleCommand.class, ImportXlCommand.class,
        ExportXlCommand.class, MigrationPipeCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:runtime failure (hypervisor, cluster, I/O)", "2:bad usage or invalid input (the message names the file, line and field)"})
public final class Main {
    /** Exit code for input the user must fix. */
    public static final int EXIT_INVALID_INPUT = 2;
    public static final int EXIT_FAILURE = 1;

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cmd = commandLine();
        int exit = cmd.execute(args);
        // picocli's writers flush only on println; System.exit would drop a manifest written with print.
        cmd.getOut().flush();
        cmd.getErr().flush();
        System.exit(exit);
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((ex, line, parse) -> {
            // Messages embed values from files and the cluster; one line per error, none of it able to drive a terminal.
            String message = String.join("\n", String.valueOf(ex.getMessage()).lines().map(Untrusted::escapeControls).toList());
            line.getErr().println(line.getColorScheme().errorText("error: " + message));
            return ex instanceof InvalidInputException ? EXIT_INVALID_INPUT : EXIT_FAILURE;
        });
        return cmd;
    }

    /** Input the user must fix; exits with {@link #EXIT_INVALID_INPUT}. */
    public static final class InvalidInputException extends RuntimeException {
        public InvalidInputException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"domain-operator " + (v == null ? "development build" : v)};
        }
    }
}
