package kz.ikomek.vision.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration with problems; carries every one of them, not just the first. */
public class ConfigException extends BadInputException {
    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        String head = problems.size() == 1 ? "the configuration has 1 problem:" :
                "the configuration has " + problems.size() + " problems:";
        return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n", head + "\n", ""));
    }
}
