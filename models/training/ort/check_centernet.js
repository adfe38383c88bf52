// Checks the ONNX conversion of the package's CenterNet against the package's own TensorFlow.js graph model,
// run by TensorFlow.js itself (@tensorflow/tfjs, CPU backend), on the same pixels.
// Usage: node check_centernet.js GRAPH.json GRAPH.bin DETECTOR.onnx BACKBONE.onnx INPUTS.json
//   INPUTS.json: [{"file": "x.f32", "height": H, "width": W}, …], float32 LE RGB 0..255, NHWC, batch 1.
//   Inputs of 512x512 go through both graphs; others through the backbone only (the TF.js graph's input size
//   is freed for that, as the ONNX backbone's is).
// Prints one JSON object per input: the largest absolute difference of the features and of the detections,
// and the ONNX detector's detections above 0.2.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const ort = require('onnxruntime-node');

const FEATURES = 'tower_0/extern1/hard_swish/mul_1';
const DETECTIONS = 'tower_0/detections';

function artifacts(graphJson, graphBin, freeSize) {
  const model = JSON.parse(fs.readFileSync(graphJson, 'utf8'));
  if (freeSize) {
    const input = model.modelTopology.node.find((n) => n.op === 'Placeholder');
    input.attr.shape.shape.dim = [{ size: '1' }, { size: '-1' }, { size: '-1' }, { size: '3' }];
  }
  const bin = fs.readFileSync(graphBin);
  return {
    modelTopology: model.modelTopology,
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    signature: model.signature,
    weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  };
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function nhwcToNchw(data, h, w, c) {
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
    out[(k * h + y) * w + x] = data[(y * w + x) * c + k];
  }
  return out;
}

async function main() {
  const [graphJson, graphBin, detectorPath, backbonePath, inputsJson] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const fixed = await tf.loadGraphModel(tf.io.fromMemory(artifacts(graphJson, graphBin, false)));
  const free = await tf.loadGraphModel(tf.io.fromMemory(artifacts(graphJson, graphBin, true)));
  const opts = { intraOpNumThreads: 2, interOpNumThreads: 1 };
  const detector = await ort.InferenceSession.create(detectorPath, opts);
  const backbone = await ort.InferenceSession.create(backbonePath, opts);
  const inputs = JSON.parse(fs.readFileSync(inputsJson, 'utf8'));
  for (const item of inputs) {
    const buf = fs.readFileSync(path.resolve(path.dirname(inputsJson), item.file));
    const pixels = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const { height: h, width: w } = item;
    const x = tf.tensor4d(pixels, [1, h, w, 3]);
    const full = h === 512 && w === 512;
    const tfOut = full ? fixed.execute({ 'tower_0/images': x }, [FEATURES, DETECTIONS])
      : [free.execute({ 'tower_0/images': x }, FEATURES)];
    const tfFeatures = tfOut[0];
    const feed = { 'tower_0/images': new ort.Tensor('float32', pixels, [1, h, w, 3]) };
    const ortFeatures = (await backbone.run(feed)).features;
    const [, fh, fw, fc] = tfFeatures.shape;
    const report = {
      file: item.file, height: h, width: w, features: ortFeatures.dims,
      featuresTfjs: tfFeatures.shape, featuresMaxAbsDiff: null, featuresMaxAbs: null,
    };
    const tfNchw = nhwcToNchw(tfFeatures.dataSync(), fh, fw, fc);
    report.featuresMaxAbsDiff = maxAbsDiff(tfNchw, ortFeatures.data);
    report.featuresMaxAbs = tfNchw.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (full) {
      const ortDet = (await detector.run(feed))[DETECTIONS].data;
      const tfDet = tfOut[1].dataSync();
      report.detectionsMaxAbsDiff = maxAbsDiff(tfDet, ortDet);
      report.detections = [];
      for (let i = 0; i < 100; i++) {
        const row = (d) => Array.from(d.slice(i * 6, i * 6 + 6)).map((v) => Math.round(v * 1000) / 1000);
        if (ortDet[i * 6 + 4] >= 0.2) report.detections.push(row(ortDet));
      }
    }
    tf.dispose([x, ...tfOut]);
    console.log(JSON.stringify(report));
  }
}

main().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
