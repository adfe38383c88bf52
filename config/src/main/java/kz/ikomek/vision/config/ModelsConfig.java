package kz.ikomek.vision.config;

import java.nio.file.Path;
import java.util.Optional;

/** Where the ONNX models and their cards are; empty = the models shipped with the models module. */
public record ModelsConfig(Optional<Path> dir) {
}
