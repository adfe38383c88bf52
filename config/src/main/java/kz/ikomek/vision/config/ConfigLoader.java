package kz.ikomek.vision.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kz.ikomek.vision.config.load.ConfigReader;

/**
 * Loads and validates a configuration. Every method throws {@link ConfigException} (a
 * {@link BadInputException}: exit 2) listing every problem with its path; the key reference is
 * docs/configuration.md. Relative paths in the config resolve against the config file's directory
 * (or {@code baseDir}); {@code ${VAR}} reads the process environment unless an env map is given.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static VisionConfig load(Path file) {
        return load(file, System::getenv);
    }

    public static VisionConfig load(Path file, Map<String, String> env) {
        return load(file, env::get);
    }

    /** A YAML text, e.g. the demo config from a classpath resource. */
    public static VisionConfig loadYaml(String yaml, Path baseDir) {
        return load(new StringReader(yaml), "(config)", baseDir, System::getenv);
    }

    public static VisionConfig loadYaml(String yaml, Path baseDir, Map<String, String> env) {
        return load(new StringReader(yaml), "(config)", baseDir, env::get);
    }

    public static VisionConfig load(Reader yaml, String sourceName, Path baseDir, Function<String, String> env) {
        return ConfigReader.read(yaml, sourceName, baseDir, env);
    }

    private static VisionConfig load(Path file, Function<String, String> env) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(List.of(new Problem(file.toString(), "is a directory, expected a YAML file")));
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Path dir = file.toAbsolutePath().getParent();
            return load(reader, file.toString(), dir, env);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "no such file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "cannot read: " + e.getMessage())));
        }
    }
}
