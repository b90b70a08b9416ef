/// <reference types="vite/client" />
/**
 * The person model: Google's MoveNet SinglePose Lightning (v4, Apache-2.0,
 * as converted to a TensorFlow.js graph model and shipped in the npm package
 * `@vladmandic/human`, `models/movenet-lightning.*`, 4.7 MB of weights), run
 * by TensorFlow.js on its WebAssembly backend (CPU; the `.wasm` files ship in
 * `@tensorflow/tfjs-backend-wasm`). Every file is part of the app's own build
 * (Vite `?url` assets), so nothing is fetched from a model hub or a CDN.
 * This module is loaded with `import()` only when a camera first looks for a
 * person, so it stays out of the app's first load.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import modelUrl from 'person-model/movenet-lightning.json?url';
import weightsUrl from 'person-model/movenet-lightning.bin?url';
import { MODEL_INPUT_SIZE } from './person-crop.js';

/** MoveNet finds 17 keypoints (COCO order: nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles). */
const KEYPOINTS = 17;

/** A loaded person model. */
export interface PersonModel {
  /**
   * How surely `pixels` (RGBA, `MODEL_INPUT_SIZE` square, one person about
   * centred) shows a person: the mean of MoveNet's 17 keypoint confidences, 0..1.
   * @throws RangeError when `pixels` is not `MODEL_INPUT_SIZE` square
   */
  personScore(pixels: ImageData): Promise<number>;
}

/**
 * Loads TensorFlow.js's WebAssembly backend and MoveNet from the app's own
 * assets, and warms the model up with one inference.
 * @throws Error when the backend cannot start (no WebAssembly, a CSP without
 *   `'wasm-unsafe-eval'`) or a model file cannot be fetched
 */
export async function loadPersonModel(): Promise<PersonModel> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
  const model = await loadGraphModel(new URL(modelUrl, location.href).href, {
    weightUrlConverter: async () => new URL(weightsUrl, location.href).href,
  });
  const person = new MoveNet(model);
  await person.personScore(new ImageData(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE));
  return person;
}

class MoveNet implements PersonModel {
  constructor(private readonly model: GraphModel) {}

  async personScore(pixels: ImageData): Promise<number> {
    if (pixels.width !== MODEL_INPUT_SIZE || pixels.height !== MODEL_INPUT_SIZE) {
      throw new RangeError(`the person model takes ${MODEL_INPUT_SIZE}×${MODEL_INPUT_SIZE} pixels, got ${pixels.width}×${pixels.height}`);
    }
    const rgb = new Int32Array(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3);
    const rgba = pixels.data;
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      rgb[j] = rgba[i]!;
      rgb[j + 1] = rgba[i + 1]!;
      rgb[j + 2] = rgba[i + 2]!;
    }
    const input = tf.tensor4d(rgb, [1, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3], 'int32');
    const output = this.model.execute(input) as tf.Tensor;
    try {
      // [1, 1, 17, 3]: y, x, confidence per keypoint.
      const keypoints = await output.data();
      let sum = 0;
      for (let k = 0; k < KEYPOINTS; k++) sum += keypoints[k * 3 + 2]!;
      return sum / KEYPOINTS;
    } finally {
      input.dispose();
      output.dispose();
    }
  }
}
