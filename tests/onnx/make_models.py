#!/usr/bin/python3
"""Writes the ONNX models the ONNX tests read, into OUT_DIR (the build tree).

Run with Debian's interpreter (/usr/bin/python3: python3-torch, python3-torchvision,
python3-onnx). Everything is seeded: the same files every time.

  torchvision ResNet-18 and MobileNet-V2 (random weights), exported in eval
  mode (batch norm fused by the exporter) and with batch norm kept
  (TrainingMode.PRESERVE), with PyTorch's own MAC and parameter counts in
  counts.json;
  ops_cnn.onnx: a small CNN using every supported operator, with reference
  logits from PyTorch for a few inputs (ops_cnn.*.npy);
  fmnist_cnn.onnx: a small CNN trained briefly on Fashion-MNIST (pixel / 255,
  no normalisation), with PyTorch's logits for the first test images;
  bad_*.onnx: malformed or unsupported models (tests/onnx/test_onnx.cpp names
  the message each must give).

usage: make_models.py OUT_DIR [--fmnist DIR] [--train-images N] [--epochs N] [--skip-zoo]
"""
import argparse
import gzip
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from onnx import TensorProto, helper

OPSET = 13


def export(model, x, path, preserve=False, opset=OPSET):
    model.eval()
    mode = torch.onnx.TrainingMode.PRESERVE if preserve else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, x, path, opset_version=opset, training=mode, do_constant_folding=True,
                      input_names=["image"], output_names=["logits"])


def pytorch_counts(model, shape):
    """MACs of every Conv2d and Linear for one image, their weights, and all parameters."""
    macs = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            macs[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            macs[0] += out.numel() * m.in_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(shape))
    for h in hs:
        h.remove()
    weights = sum(m.weight.numel() for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)))
    params = sum(p.numel() for p in model.parameters())
    return {"macs": macs[0], "weights": weights, "parameters": params}


class OpsCnn(nn.Module):
    """Every supported operator: conv (bias, stride, dilation, groups, depthwise),
    batch norm, ReLU, ReLU6, sigmoid, tanh, leaky ReLU, hard sigmoid, hard swish,
    max and average pooling, add, concat, global average pooling, the reshape
    that flattens, dropout and MatMul + Add."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8)
        self.pw = nn.Conv2d(8, 8, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.grp = nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=2)
        self.side = nn.Conv2d(16, 16, 1, stride=2)
        self.head = nn.Conv2d(16, 12, 3, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc1 = nn.Linear(12 * 3 * 3, 24)
        self.w2 = nn.Parameter(torch.randn(24, 10) * 0.3)
        self.b2 = nn.Parameter(torch.randn(10) * 0.1)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))                       # 8x28x28
        a = F.relu6(self.dw(x))
        b = torch.sigmoid(self.bn2(self.pw(x)))
        x = torch.cat([a, b], 1)                                # 16x28x28
        x = F.max_pool2d(x, 2)                                  # 16x14x14
        x = F.leaky_relu(self.grp(x), 0.1) + torch.tanh(self.side(x))   # 16x7x7
        x = F.hardswish(self.head(x))                           # 12x7x7
        x = F.avg_pool2d(x, 3, stride=2, padding=1)             # 12x4x4
        x = F.hardsigmoid(F.avg_pool2d(x, 2, stride=1))           # 12x3x3
        x = self.drop(x)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return x @ self.w2 + self.b2


class FmnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = nn.Conv2d(32, 32, 3, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.conv3(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def train_fmnist(model, fmnist_dir, n_train, epochs):
    images = read_idx(os.path.join(fmnist_dir, "train-images-idx3-ubyte.gz"))[:n_train]
    labels = read_idx(os.path.join(fmnist_dir, "train-labels-idx1-ubyte.gz"))[:n_train]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for epoch in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    model.eval()


# ---- malformed and unsupported models, made by hand ----

def small_graph(nodes, inits, out_shape, in_shape=(1, 1, 8, 8), opset=OPSET, outputs=None):
    g = helper.make_graph(
        nodes, "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))],
        outputs or [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out_shape))], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def weight(name, shape, seed=0):
    r = np.random.RandomState(seed)
    return helper.make_tensor(name, TensorProto.FLOAT, list(shape), r.randn(*shape).astype(np.float32).ravel().tolist())


def bad_models(out, good_bytes):
    conv = lambda **kw: helper.make_node("Conv", ["x", "w"], ["c"], name="conv1", **kw)
    w = weight("w", (4, 1, 3, 3))
    m = {}
    m["bad_op"] = small_graph([conv(), helper.make_node("Softmax", ["c"], ["y"], name="softmax1")], [w], (1, 4, 6, 6))
    m["bad_pads"] = small_graph([conv(pads=[0, 0, 1, 1]), helper.make_node("Relu", ["c"], ["y"], name="relu1")], [w],
                                (1, 4, 7, 7))
    m["bad_ceil"] = small_graph([conv(), helper.make_node("AveragePool", ["c"], ["y"], name="pool1", kernel_shape=[2, 2],
                                                          strides=[2, 2], ceil_mode=1)], [w], (1, 4, 3, 3))
    m["bad_attr"] = small_graph([conv(), helper.make_node("Relu", ["c"], ["y"], name="relu1", gain=2.0)], [w], (1, 4, 6, 6))
    m["bad_reshape"] = small_graph(
        [conv(), helper.make_node("Reshape", ["c", "s"], ["y"], name="reshape1")],
        [w, helper.make_tensor("s", TensorProto.INT64, [3], [1, 4, 36])], (1, 4, 36))
    m["bad_concat_axis"] = small_graph(
        [conv(), helper.make_node("Concat", ["c", "c"], ["y"], name="cat1", axis=2)], [w], (1, 4, 12, 6))
    bn = [helper.make_tensor(n, TensorProto.FLOAT, [1], [v]) for n, v in
          [("g", 1.0), ("b", 0.0), ("mu", 0.0), ("var", 1.0)]]
    m["bad_bn"] = small_graph(
        [helper.make_node("BatchNormalization", ["x", "g", "b", "mu", "var"], ["y"], name="bn_on_input")], bn, (1, 1, 8, 8))
    m["bad_opset"] = small_graph([conv(), helper.make_node("Relu", ["c"], ["y"], name="relu1")], [w], (1, 4, 6, 6), opset=9)
    m["bad_conv1d"] = small_graph([helper.make_node("Conv", ["x", "w1"], ["y"], name="conv1d")],
                                  [weight("w1", (4, 1, 3))], (1, 4, 6), in_shape=(1, 1, 8))
    m["bad_clip"] = small_graph([conv(), helper.make_node("Clip", ["c", "", "hi"], ["y"], name="clip1")],
                                [w, helper.make_tensor("hi", TensorProto.FLOAT, [], [6.0])], (1, 4, 6, 6))
    m["bad_gemm_transa"] = small_graph(
        [helper.make_node("Flatten", ["x"], ["f"], name="flat"),
         helper.make_node("Gemm", ["f", "wg"], ["y"], name="fc1", transA=1)], [weight("wg", (64, 10))], (1, 10))
    m["bad_dangling"] = small_graph([helper.make_node("Relu", ["nowhere"], ["y"], name="relu1")], [], (1, 1, 8, 8))
    m["bad_two_outputs"] = small_graph(
        [conv(), helper.make_node("Relu", ["c"], ["y"], name="relu1")], [w], (1, 4, 6, 6),
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6]),
                 helper.make_tensor_value_info("c", TensorProto.FLOAT, [1, 4, 6, 6])])
    short = weight("w", (4, 1, 3, 3))
    del short.float_data[:]
    short.raw_data = b"\0" * 100  # 25 of its 36 floats
    m["bad_short_tensor"] = small_graph([conv(), helper.make_node("Relu", ["c"], ["y"], name="relu1")], [short], (1, 4, 6, 6))
    for name, model in m.items():
        with open(os.path.join(out, name + ".onnx"), "wb") as f:
            f.write(model.SerializeToString())
    # Byte-level damage: a truncated model, random bytes, an empty file.
    with open(os.path.join(out, "bad_truncated.onnx"), "wb") as f:
        f.write(good_bytes[: len(good_bytes) * 2 // 3])
    with open(os.path.join(out, "bad_garbage.onnx"), "wb") as f:
        f.write(np.random.RandomState(3).bytes(4096))
    open(os.path.join(out, "bad_empty.onnx"), "wb").close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--fmnist", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--train-images", type=int, default=10000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--skip-zoo", action="store_true", help="no ResNet-18 / MobileNet-V2 (they take ~100 MB)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    # The models of this very script and these options are already there: nothing to do.
    with open(__file__, "rb") as f:
        stamp = "%s %s" % (hashlib.sha256(f.read()).hexdigest(), sorted(vars(a).items()))
    stamp_file = os.path.join(a.out, ".stamp")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        print("onnx models up to date in", a.out)
        return
    torch.manual_seed(0)
    torch.set_num_threads(2)
    counts = {}
    if not a.skip_zoo:
        for name, ctor in [("resnet18", torchvision.models.resnet18), ("mobilenet_v2", torchvision.models.mobilenet_v2)]:
            model = ctor(weights=None).eval()
            x = torch.randn(1, 3, 224, 224)
            counts[name] = pytorch_counts(model, (1, 3, 224, 224))
            export(model, x, os.path.join(a.out, name + ".onnx"))
            export(model, x, os.path.join(a.out, name + "_bn.onnx"), preserve=True)

    ops = OpsCnn()
    with torch.no_grad():  # batch norm statistics that are not the identity
        for bn in (ops.bn, ops.bn2):
            bn.running_mean.uniform_(-0.5, 0.5)
            bn.running_var.uniform_(0.5, 2.0)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
    ops.eval()
    # Opset 14: HardSwish is an operator of its own from 14 on (13 writes HardSigmoid and Mul).
    export(ops, torch.rand(1, 1, 28, 28), os.path.join(a.out, "ops_cnn.onnx"), preserve=True, opset=14)
    counts["ops_cnn"] = pytorch_counts(ops, (1, 1, 28, 28))
    # The hooks see modules only: add x @ w2, a linear layer written as a MatMul.
    counts["ops_cnn"]["macs"] += ops.w2.numel()
    counts["ops_cnn"]["weights"] += ops.w2.numel()
    rng = np.random.RandomState(1)
    for k in range(3):
        img = rng.randint(0, 256, size=(1, 28, 28)).astype(np.uint8)
        np.save(os.path.join(a.out, "ops_cnn.input%d.npy" % k), img)
        with torch.no_grad():
            y = ops(torch.from_numpy(img.astype(np.float32) / 255.0).unsqueeze(0))
        np.save(os.path.join(a.out, "ops_cnn.logits%d.npy" % k), y.numpy().astype(np.float64).ravel())

    fm = FmnistCnn()
    train_fmnist(fm, a.fmnist, a.train_images, a.epochs)
    export(fm, torch.rand(1, 1, 28, 28), os.path.join(a.out, "fmnist_cnn.onnx"), preserve=True)
    counts["fmnist_cnn"] = pytorch_counts(fm, (1, 1, 28, 28))
    test = read_idx(os.path.join(a.fmnist, "t10k-images-idx3-ubyte.gz"))
    with torch.no_grad():
        logits = fm(torch.from_numpy(test[:1000].astype(np.float32) / 255.0).unsqueeze(1)).numpy()
    np.save(os.path.join(a.out, "fmnist_cnn.logits.npy"), logits.astype(np.float64))
    np.save(os.path.join(a.out, "fmnist_cnn.images.npy"), test[:100].reshape(100, 1, 28, 28))

    with open(os.path.join(a.out, "fmnist_cnn.onnx"), "rb") as f:
        bad_models(a.out, f.read())
    with open(os.path.join(a.out, "counts.json"), "w") as f:
        json.dump(counts, f, indent=1)
    with open(stamp_file, "w") as f:
        f.write(stamp)
    print("onnx models written to", a.out)


if __name__ == "__main__":
    main()
