package kz.ikomek.vision.config.load;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.function.Function;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ConfigException;
import kz.ikomek.vision.config.VisionConfig;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** YAML text to a checked {@link VisionConfig}; use it through {@link kz.ikomek.vision.config.ConfigLoader}. */
public final class ConfigReader {
    private ConfigReader() {
    }

    /**
     * @param sourceName names the text in syntax errors ({@code astana.yaml:12:5: ...})
     * @param baseDir    relative paths in the config (storage, CSV registry, users file) resolve here
     * @throws ConfigException with every problem found
     */
    public static VisionConfig read(Reader yaml, String sourceName, Path baseDir, Function<String, String> env) {
        Problems problems = new Problems();
        Node root;
        try {
            // The node API, not objects: it keeps each value's line for messages.
            root = new Yaml(LoadContext.loaderOptions()).compose(yaml);
        } catch (MarkedYAMLException e) {
            // Only the problem and context texts: getMessage() quotes the source line, which may hold a password.
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? sourceName : sourceName + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(where, "YAML syntax error: " + e.getProblem() + context);
            throw new ConfigException(problems.list());
        } catch (YAMLException e) {
            problems.add(sourceName, e.getCause() instanceof CharacterCodingException
                    ? "not UTF-8 text (is this the right file?)" : "cannot read YAML: " + e.getMessage());
            throw new ConfigException(problems.list());
        }
        LoadContext ctx = new LoadContext(problems, baseDir.toAbsolutePath().normalize(), env);
        VisionConfig config = new ConfigBinder(ctx).bind(root);
        problems.throwIfAny();
        return config;
    }

    /**
     * One camera from JSON (or YAML) text, checked by the same rules as in a config file; problems
     * are named under {@code path}. No {@code ${VAR}} substitution: the text is data, not config.
     */
    public static CameraConfig readCamera(String text, String path) {
        Problems problems = new Problems();
        Node root;
        try {
            // A record is JSON: no aliases at all.
            root = new Yaml(LoadContext.loaderOptions(0)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            problems.add(path, "not valid JSON at " + (m == null ? "?" : (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                    + ": " + e.getProblem());
            throw new ConfigException(problems.list());
        } catch (YAMLException e) {
            problems.add(path, "not a camera record: " + e.getMessage());
            throw new ConfigException(problems.list());
        }
        LoadContext ctx = new LoadContext(problems, Path.of("").toAbsolutePath(), null);
        CameraConfig camera = new ConfigBinder(ctx).camera(root, path);
        problems.throwIfAny();
        return camera;
    }
}
