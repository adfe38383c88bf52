// Runs an ONNX model for train.py over stdin/stdout, so the training data goes through ONNX Runtime.
// Request: uint32 LE n, then n*3*size*size float32 LE (NCHW, already normalised).
// Reply: uint32 LE width, then n*width float32 LE of the first output.
// Usage: node serve.js MODEL.onnx SIZE THREADS
const ort = require('onnxruntime-node');

const [modelPath, sizeArg, threadsArg] = process.argv.slice(2);
const size = Number(sizeArg);
const perImage = 3 * size * size * 4;

async function main() {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: Number(threadsArg), interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  let pending = Buffer.alloc(0);
  let busy = Promise.resolve();
  process.stdin.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const n = pending.readUInt32LE(0);
      const need = 4 + n * perImage;
      if (pending.length < need) break;
      const body = pending.subarray(4, need);
      pending = pending.subarray(need);
      const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
      busy = busy.then(() => answer(session, data, n));
    }
  });
  process.stdin.on('end', () => busy.then(() => process.exit(0)));
}

async function answer(session, data, n) {
  const input = new ort.Tensor('float32', data, [n, 3, size, size]);
  const result = await session.run({ [session.inputNames[0]]: input });
  const out = result[session.outputNames[0]].data;
  const header = Buffer.alloc(4);
  header.writeUInt32LE(out.length / n, 0);
  process.stdout.write(header);
  process.stdout.write(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
