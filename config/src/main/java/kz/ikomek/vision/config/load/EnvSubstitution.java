package kz.ikomek.vision.config.load;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in scalar values, replaced after YAML parsing so a
 * variable can never inject YAML structure; {@code $$} is a literal {@code $}.
 */
final class EnvSubstitution {
    private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\{([^}:]*)(?::-([^}]*))?}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;

    EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    /** The text with every reference replaced, or null after reporting each unset or malformed one. */
    String apply(String text, String path, int line, Problems problems) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean failed = false;
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = m.group(1);
                String fallback = m.group(2);
                String value = NAME.matcher(name).matches() ? env.apply(name) : null;
                if (!NAME.matcher(name).matches()) {
                    problems.add(path, "'${" + name + "}' is not a valid environment variable name", line);
                    failed = true;
                    replacement = "";
                } else if (value != null && !(value.isEmpty() && fallback != null)) {
                    replacement = value;
                } else if (fallback != null) {
                    replacement = fallback;
                } else {
                    problems.add(path, "environment variable " + name + " is not set (set it, or write ${"
                            + name + ":-default})", line);
                    failed = true;
                    replacement = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return failed ? null : out.toString();
    }
}
