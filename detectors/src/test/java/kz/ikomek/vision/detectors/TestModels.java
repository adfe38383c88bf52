package kz.ikomek.vision.detectors;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The throwaway test models (detectors/src/test/python/make_test_models.py) and image helpers. */
public final class TestModels {

    private TestModels() {
    }

    /** Directory holding tiny.onnx (colour-rule multilabel classifier) and tinyyolo.onnx with their cards. */
    public static Path dir() {
        try {
            return Path.of(TestModels.class.getResource("/testmodels").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
