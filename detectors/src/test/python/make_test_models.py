#!/usr/bin/env python3
"""Throwaway ONNX models for the detectors' unit tests (not for production: the real ones live in models/).

Run from the repository root:  /usr/bin/python3 detectors/src/test/python/make_test_models.py
Writes detectors/src/test/resources/testmodels/{tiny,tinyyolo}.onnx and their cards (with the SHA-256).

tiny: a multilabel classifier with a fixed, readable rule, so a test can predict its answer from colours:
  input  NCHW float32 (dynamic batch), 32x32 RGB, normalised (pixel/255 - 0.5)/0.25
  scores = sigmoid(W . mean_rgb + b) for labels snow (bright), flood (blue), open_manhole (dark), dumping (red)
tinyyolo: a YOLOv8-style detector whose output [N, 4+2, 4] is a fixed set of boxes scaled by the image's mean
  red (label "truck") and mean blue (label "pile"), to check the decoding of that layout.
tinyvehicles: an object detector of kind "detections" with an NHWC input [1, 64, 64, 3] (0..255) and the COCO-style
  output [1, 2, 6] = x1, y1, x2, y2, score, class: always a "truck" 0.9 filling the picture and a "person" 0.8 in its
  top-left quarter; for the pipeline's wiring, the NHWC layout and the decoding (the real CenterNet is tested in models).
"""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "testmodels")
MEAN, STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]


def mean_rgb_nodes():
    # Global average pool over H, W → [N, 3]; the pixel values are normalised, so the mean of a white
    # image is (1 - 0.5) / 0.25 = 2 and of a black image -2.
    return [
        helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["rgb"], axis=1),
    ]


def write(graph, name, card):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # what the ONNX Runtime bundled with DJL reads
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    with open(path, "rb") as f:
        card["sha256"] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(OUT, name + ".card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")


def tiny():
    # Rows: r, g, b weights per label. snow: all channels high; flood: blue above red; manhole: dark;
    # dumping: red above blue.
    w = np.array([[3.0, 3.0, 3.0],
                  [-4.0, 0.0, 4.0],
                  [-3.0, -3.0, -3.0],
                  [4.0, 0.0, -4.0]], dtype=np.float32).T  # [3, 4]
    b = np.array([-13.5, -4.0, -9.0, -4.0], dtype=np.float32)
    nodes = mean_rgb_nodes() + [
        helper.make_node("Gemm", ["rgb", "W", "B"], ["logits"]),
        helper.make_node("Identity", ["logits"], ["scores"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 4])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])
    write(graph, "tiny", {
        "name": "tiny", "version": "test-1", "file": "tiny.onnx", "kind": "multilabel-classifier",
        "input": {"name": "input", "width": 32, "height": 32, "channels": "RGB", "scale": 255.0,
                  "mean": MEAN, "std": STD},
        "output": {"name": "scores", "labels": ["snow", "flood", "open_manhole", "dumping"],
                   "activation": "sigmoid"},
        "thresholds": {"snow": 0.5, "flood": 0.5, "open_manhole": 0.5, "dumping": 0.5},
        "note": "test model with a fixed colour rule; see detectors/src/test/python/make_test_models.py"})


def tiny_yolo():
    # Four fixed candidate boxes (cx, cy, w, h in input pixels, 64x64 input); class scores = clip of
    # the mean red / mean blue so a red image "has a truck" in every box, strongest in box 2.
    boxes = np.array([[16, 16, 8, 8], [48, 16, 16, 8], [32, 40, 24, 16], [48, 48, 8, 8]],
                     dtype=np.float32).T.reshape(1, 4, 4)          # [1, 4 coords, 4 boxes]
    weights = np.array([0.25, 0.5, 1.0, 0.75], dtype=np.float32).reshape(1, 1, 4)
    nodes = mean_rgb_nodes() + [
        # red and blue means → [N, 2, 1], squashed to 0..1, times the per-box weights → [N, 2, 4]
        helper.make_node("Gather", ["rgb", "idx"], ["rb"], axis=1),
        helper.make_node("Sigmoid", ["rb"], ["rb_s"]),
        helper.make_node("Unsqueeze", ["rb_s", "ax2"], ["rb3"]),
        helper.make_node("Mul", ["rb3", "weights"], ["cls"]),
        # the fixed boxes, broadcast to the batch: boxes + 0 * cls[:, :1, :]
        helper.make_node("Slice", ["cls", "s0", "s1", "ax1"], ["one"]),
        helper.make_node("Mul", ["one", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "boxes"], ["bx"]),
        helper.make_node("Concat", ["bx", "cls"], ["scores"], axis=1),
    ]
    inits = [numpy_helper.from_array(np.array([0, 2], dtype=np.int64), "idx"),
             numpy_helper.from_array(np.array([2], dtype=np.int64), "ax2"),
             numpy_helper.from_array(weights, "weights"),
             numpy_helper.from_array(np.array([0], dtype=np.int64), "s0"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "s1"),
             numpy_helper.from_array(np.array([1], dtype=np.int64), "ax1"),
             numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
             numpy_helper.from_array(boxes, "boxes")]
    graph = helper.make_graph(
        nodes, "tinyyolo",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 64, 64])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 6, 4])], inits)
    write(graph, "tinyyolo", {
        "name": "tinyyolo", "version": "test-1", "file": "tinyyolo.onnx", "kind": "yolo",
        "input": {"name": "input", "width": 64, "height": 64, "channels": "RGB", "scale": 255.0,
                  "mean": MEAN, "std": STD},
        "output": {"name": "scores", "labels": ["truck", "pile"], "activation": "none"},
        "types": {"pile": "dumping"},
        "thresholds": {"dumping": 0.5},
        "note": "test model with fixed boxes; see detectors/src/test/python/make_test_models.py"})


def tiny_vehicles():
    rows = np.array([[[0, 0, 64, 64, 0.9, 1], [0, 0, 32, 32, 0.8, 0]]], dtype=np.float32)   # [1, 2, 6]
    inits = [numpy_helper.from_array(rows, "rows"), numpy_helper.from_array(np.zeros([1], np.float32), "zero")]
    nodes = [
        # The input must feed the output for ONNX Runtime to take it: its mean times zero, added to the fixed rows.
        helper.make_node("ReduceMean", ["input"], ["m"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Mul", ["m", "zero"], ["z"]),
        helper.make_node("Add", ["rows", "z"], ["detections"]),
    ]
    graph = helper.make_graph(
        nodes, "tinyvehicles",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 64, 64, 3])],
        [helper.make_tensor_value_info("detections", TensorProto.FLOAT, [1, 2, 6])], inits)
    write(graph, "tinyvehicles", {
        "name": "tinyvehicles", "version": "test-1", "file": "tinyvehicles.onnx", "kind": "detections",
        "input": {"name": "input", "width": 64, "height": 64, "channels": "RGB", "scale": 1.0,
                  "mean": [0, 0, 0], "std": [1, 1, 1], "layout": "NHWC"},
        "output": {"name": "detections", "labels": ["person", "truck"], "activation": "none"},
        "thresholds": {"truck": 0.5, "person": 0.5},
        "note": "test model with fixed boxes; see detectors/src/test/python/make_test_models.py"})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    tiny()
    tiny_yolo()
    tiny_vehicles()
