package kz.ikomek.vision.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.ConfigException;
import kz.ikomek.vision.config.ConfigLoader;
import kz.ikomek.vision.config.VisionConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ikomek-vision config check FILE}: validate a configuration, listing every problem with its path. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (check)");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = {
            "Validate a configuration. Valid: exit 0 and a one-line summary on stdout.",
            "Invalid: exit 2 and every problem, one per line (path: reason), on stderr.",
            "Valid but unwise (a password as a URL parameter): a 'warning:' line each on stderr, exit 0."})
    static final class Check implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The YAML configuration (see docs/configuration.md).")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            VisionConfig config;
            try {
                config = ConfigLoader.load(file);
            } catch (ConfigException e) {
                PrintWriter err = spec.commandLine().getErr();
                e.problems().forEach(err::println);
                err.flush();
                return Main.EXIT_BAD_INPUT;
            }
            PrintWriter err = spec.commandLine().getErr();
            config.warnings().forEach(w -> err.println("warning: " + w));
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println("ok: " + count(config.cameras().size(), "camera") + ", " + count(config.zoneCount(), "zone")
                    + ", " + count(config.activeDetectors().size(), "detector"));
            out.flush();
            return 0;
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }
}
