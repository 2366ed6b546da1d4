#!/usr/bin/python3
"""The functional simulation of an ONNX model with its own weights against PyTorch.

Every image is simulated on its own (`tessera simulate --functional --input`)
on an ideal chip with lossless converters (ISAAC, 9-bit ADCs: the datapath
equals its integer reference, docs/functional-model.md), so what separates the
logits from PyTorch's is the 8-bit quantisation of weights and activations.
Prints: images whose class agrees with PyTorch's, the logit error (absolute,
and relative to each image's largest |logit|), how many runs matched their
integer reference exactly, and the time taken.

The model and PyTorch's logits for the first 1,000 Fashion-MNIST test images
come from tests/onnx/make_models.py (fmnist_cnn.onnx, fmnist_cnn.logits.npy;
`ctest -R onnx_models` writes them to build/tests/onnx/models).

usage: /usr/bin/python3 bench/onnx/functional_agreement.py [--images 1000] [--models DIR] [--tessera PATH] [--jobs 2]
"""
import argparse
import gzip
import json
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=1000)
    ap.add_argument("--models", default=os.path.join(ROOT, "build/tests/onnx/models"))
    ap.add_argument("--tessera", default=os.path.join(ROOT, "build/tessera"))
    ap.add_argument("--fmnist", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    model = os.path.join(a.models, "fmnist_cnn.onnx")
    torch_logits = np.load(os.path.join(a.models, "fmnist_cnn.logits.npy"))
    n = min(a.images, len(torch_logits))
    with gzip.open(os.path.join(a.fmnist, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(a.fmnist, "t10k-labels-idx1-ubyte.gz"), "rb") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    tmp = tempfile.mkdtemp(prefix="onnx_agreement_")
    env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")

    def simulate(i):
        img, out, rep = (os.path.join(tmp, "%d.%s" % (i, ext)) for ext in ("in.npy", "out.npy", "json"))
        np.save(img, images[i])
        subprocess.run([a.tessera, "simulate", "--net", model, "--functional", "--set", "tile_class.isaac.adc.bits=9",
                        "--input", img, "--output-npy", out, "-o", rep, "-q"], check=True, env=env)
        logits = np.load(out)
        exact = json.load(open(rep))["functional"]["comparison"]["exact"]
        for p in (img, out, rep):
            os.remove(p)
        return logits, exact

    t0 = time.time()
    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(simulate, range(n)))
    seconds = time.time() - t0
    sim = np.array([r[0] for r in results])
    ref = torch_logits[:n]
    agree = int((sim.argmax(1) == ref.argmax(1)).sum())
    err = np.abs(sim - ref)
    rel = err / np.abs(ref).max(1, keepdims=True)
    print("model                %s (%d test images, each simulated on its own)" % (model, n))
    print("class agreement      %d / %d = %.2f %%  (target >= 99 %%)" % (agree, n, 100.0 * agree / n))
    print("accuracy             simulated %.2f %%, PyTorch %.2f %%" %
          (100.0 * (sim.argmax(1) == labels[:n]).mean(), 100.0 * (ref.argmax(1) == labels[:n]).mean()))
    print("logit error          max %.4g, mean %.4g; relative to the image's max |logit|: max %.4g, mean %.4g" %
          (err.max(), err.mean(), rel.max(), rel.mean()))
    print("exact vs integer ref %d / %d runs" % (sum(r[1] for r in results), n))
    print("time                 %.1f s (%.3f s per image, %d jobs)" % (seconds, seconds / n, a.jobs))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
