package kz.ikomek.vision.app;

import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.ingest.cluster.ClusterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ikomek-vision} command. Exit codes: 0 success, 2 bad input, 1 anything else. */
@Command(name = "ikomek-vision", mixinStandardHelpOptions = true, version = "ikomek-vision 0.1.0",
        description = "Watches street cameras and turns what they see into incidents.",
        subcommands = {DemoCommand.class, RunCommand.class, DetectCommand.class, EvalCommand.class,
                ProbeCommand.class, SimulateCommand.class, BrokerCommand.class, ConfigCommand.class,
                UserCommand.class, ClusterCommand.class, ExportNegativesCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof BadInputException) {
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (e instanceof ClusterException) {
                // Not the user's input and not a bug: the brokers are away. The message names the address.
                cmd.getErr().println("error: " + e.getMessage());
                return EXIT_FAILURE;
            }
            e.printStackTrace(cmd.getErr());
            return EXIT_FAILURE;
        });
        // Picocli reports usage errors with 2 already: the same code as bad input.
        return cli;
    }
}
