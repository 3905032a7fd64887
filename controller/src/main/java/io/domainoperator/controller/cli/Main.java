package io.domainoperator.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code domain-operator agent|controller|standalone|import-xl|export-xl}. */
@Command(name = "domain-operator", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Runs Xen/QEMU virtual machines declared as DomainConfig objects.",
    subcommands = {AgentCommand.class, StandaloneCommand.class, ControllerCommand.class, ImportXlCommand.class,
        ExportXlCommand.class, CommandLine.HelpCommand.class},
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
        int exitCode = cmd.execute(args);
        // picocli's writers flush on println only; System.exit would drop what import-xl/export-xl print().
        cmd.getOut().flush();
        cmd.getErr().flush();
        System.exit(exitCode);
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
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
