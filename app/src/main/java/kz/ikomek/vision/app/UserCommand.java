package kz.ikomek.vision.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.console.auth.Passwords;
import kz.ikomek.vision.console.auth.Role;
import kz.ikomek.vision.console.auth.User;
import kz.ikomek.vision.console.auth.Usernames;
import kz.ikomek.vision.console.auth.UsersFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ikomek-vision user add|list}: manages the console's users file. The password never appears on the
 * command line (where {@code ps} and shell history would show it): it is read from the terminal without echo,
 * from standard input, or from an environment variable named with {@code --password-env}.
 */
@Command(name = "user", description = "Manage console users (a JSON users file with bcrypt hashes).",
        mixinStandardHelpOptions = true, subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class})
final class UserCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add or list");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user, or replace the one with that name. The password comes from the terminal "
                    + "(no echo), from standard input (first line), or from --password-env VAR.")
    static final class Add implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, description = "the users file (created when absent)")
        Path file;

        @Option(names = "--username", required = true, description = Usernames.RULE)
        String username;

        @Option(names = "--role", required = true, description = "operator, police, utility or admin")
        String role;

        @Option(names = "--service", description = "for a utility: the service code it works for, e.g. snow-removal")
        String service;

        @Option(names = "--password-env", paramLabel = "VAR", description = "read the password from this environment variable")
        String passwordEnv;

        @Override
        public Integer call() {
            if (!Usernames.valid(username)) {
                throw new BadInputException("--username: " + Usernames.RULE + ", got '" + username + "'");
            }
            Role r = Role.fromWire(role).orElseThrow(() ->
                    new BadInputException("--role: unknown '" + role + "', expected one of " + Role.wireNames()));
            if (r == Role.UTILITY && (service == null || service.isBlank())) {
                throw new BadInputException("--service: a utility user needs the service code it works for "
                        + "(e.g. --service snow-removal)");
            }
            if (r != Role.UTILITY && service != null) {
                throw new BadInputException("--service: only utility users have a service, not a " + r.wireName());
            }
            String password = password();
            String hash;
            try {
                hash = new Passwords().hash(password);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("password: " + e.getMessage());
            }
            UsersFile.put(file, new User(username, r, service, hash));
            PrintWriter out = spec.commandLine().getOut();
            out.println("user " + username + " (" + r.wireName() + (service == null ? "" : ", " + service)
                    + ") saved in " + file);
            out.flush();
            return 0;
        }

        private String password() {
            if (passwordEnv != null) {
                String v = System.getenv(passwordEnv);
                if (v == null || v.isEmpty()) {
                    throw new BadInputException("--password-env: environment variable " + passwordEnv + " is not set");
                }
                return v;
            }
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("password for %s: ", username);
                char[] again = console.readPassword("again: ");
                if (first == null || again == null || !new String(first).equals(new String(again))) {
                    throw new BadInputException("password: the two entries differ");
                }
                return new String(first);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new BadInputException("password: standard input is empty; pipe the password in or use --password-env VAR");
                }
                return line;
            } catch (IOException e) {
                throw new BadInputException("password: cannot read standard input: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users of a users file (never the hashes).")
    static final class ListUsers implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--file", required = true, description = "the users file")
        Path file;

        @Override
        public Integer call() {
            List<User> users = UsersFile.load(file);
            PrintWriter out = spec.commandLine().getOut();
            for (User u : users) {
                out.println(u.username() + "\t" + u.role().wireName() + (u.service() == null ? "" : "\t" + u.service()));
            }
            out.flush();
            return 0;
        }
    }
}
