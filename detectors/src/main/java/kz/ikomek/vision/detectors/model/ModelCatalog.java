package kz.ikomek.vision.detectors.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import kz.ikomek.vision.config.BadInputException;

/**
 * Finds model cards ({@code NAME.card.json}) and their ONNX files, in a directory or on the classpath under
 * {@code /models/} (the models module's resources, present at run time because app depends on it).
 */
public final class ModelCatalog {

    public static final String CLASSPATH_ROOT = "models";
    private static final String CARD_SUFFIX = ".card.json";

    private ModelCatalog() {
    }

    /** Every card in {@code dir} with its file, each checked by SHA-256. */
    public static List<ModelFile> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("model directory " + dir + " does not exist or is not a directory");
        }
        List<ModelFile> models = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path card : files.filter(p -> p.getFileName().toString().endsWith(CARD_SUFFIX)).sorted().toList()) {
                ModelCard parsed = ModelCard.parse(Files.readAllBytes(card), card.toString());
                Path onnx = dir.resolve(parsed.file());
                try {
                    models.add(new ModelFile(parsed, Files.readAllBytes(onnx), onnx.toString()));
                } catch (NoSuchFileException e) {
                    throw new BadInputException("model card " + card + " names file " + parsed.file()
                            + ", which is not in " + dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model directory " + dir, e);
        }
        if (models.isEmpty()) {
            throw new BadInputException("model directory " + dir + " holds no model card; expected NAME" + CARD_SUFFIX
                    + " next to NAME.onnx");
        }
        return models;
    }

    /** Every card under {@code /models/} on the classpath (directories and jars alike). */
    public static List<ModelFile> fromClasspath() {
        ClassLoader loader = ModelCatalog.class.getClassLoader();
        TreeSet<String> cards = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(CLASSPATH_ROOT);
            for (URL root : Collections.list(roots)) {
                cards.addAll(cardNames(root));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list classpath /" + CLASSPATH_ROOT + "/", e);
        }
        List<ModelFile> models = new ArrayList<>();
        for (String cardName : cards) {
            String cardPath = CLASSPATH_ROOT + "/" + cardName;
            ModelCard card = ModelCard.parse(resource(loader, cardPath), "classpath:/" + cardPath);
            String onnxPath = CLASSPATH_ROOT + "/" + card.file();
            if (loader.getResource(onnxPath) == null) {
                throw new BadInputException("model card classpath:/" + cardPath + " names file " + card.file()
                        + ", which is not on the classpath under /" + CLASSPATH_ROOT + "/");
            }
            models.add(new ModelFile(card, resource(loader, onnxPath), "classpath:/" + onnxPath));
        }
        return models;
    }

    private static List<String> cardNames(URL root) throws IOException {
        List<String> names = new ArrayList<>();
        if ("file".equals(root.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(CARD_SUFFIX)).forEach(names::add);
            } catch (URISyntaxException e) {
                throw new IOException("bad classpath URL " + root, e);
            }
        } else if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = CLASSPATH_ROOT + "/";
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String n = entry.getName();
                    if (n.startsWith(prefix) && n.endsWith(CARD_SUFFIX) && n.indexOf('/', prefix.length()) < 0) {
                        names.add(n.substring(prefix.length()));
                    }
                }
            }
        }
        return names;
    }

    private static byte[] resource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new BadInputException("classpath:/" + path + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:/" + path, e);
        }
    }
}
