package kz.ikomek.vision.detectors.model;

/** A model card with the bytes of its ONNX file, already checked against the card's SHA-256. */
public record ModelFile(ModelCard card, byte[] onnx, String where) {

    public ModelFile {
        card.verify(onnx, where);
    }
}
