package kz.ikomek.vision.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in this JVM for tests in other packages: exit code, and stdout / stderr into outErr. */
public final class MainAccess {
    private MainAccess() {
    }

    public static int run(String[] outErr, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        outErr[0] = out.toString();
        outErr[1] = err.toString();
        return code;
    }
}
