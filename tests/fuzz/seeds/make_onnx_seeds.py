#!/usr/bin/python3
"""Writes the fuzz seeds of fuzz_onnx into onnx/: three tiny models (a few
hundred bytes each) that together use every operator the importer supports,
the malformed models of tests/onnx/make_models.py built on the first, and
regression cases (regress_*; regress_reshape_float_shape.onnx is the input
fuzz_onnx found, committed as it was: a Reshape whose shape is a float tensor
holding 4e31, converted to int64 undefined).
Run with Debian's interpreter (python3-onnx; python3-torch for the import of
make_models); the output is committed, so this runs only to change the seeds.

usage: tests/fuzz/seeds/make_onnx_seeds.py
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "onnx"))
import make_models  # noqa: E402  (small_graph, weight, bad_models)

node = helper.make_node
W = make_models.weight


def const(name, values, dtype=TensorProto.FLOAT):
    values = list(values)
    return helper.make_tensor(name, dtype, [len(values)], values)


def model(nodes, inits, out_shape, in_shape=(1, 1, 6, 6), opset=13):
    return make_models.small_graph(nodes, inits, out_shape, in_shape=in_shape, opset=opset)


seeds = {
    # Conv, BatchNormalization, Relu, MaxPool, Flatten, Gemm (transB).
    "conv_bn_pool_gemm": model(
        [node("Conv", ["x", "w"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
         node("BatchNormalization", ["c", "g", "b", "mu", "var"], ["n"], name="bn1"),
         node("Relu", ["n"], ["r"], name="relu1"),
         node("MaxPool", ["r"], ["p"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
         node("Flatten", ["p"], ["f"], name="flat", axis=1),
         node("Gemm", ["f", "wg", "bg"], ["y"], name="fc1", transB=1)],
        [W("w", (2, 1, 3, 3)), const("g", [1.0, 0.5]), const("b", [0.0, 0.1]), const("mu", [0.1, -0.1]),
         const("var", [1.0, 2.0]), W("wg", (3, 18), 1), const("bg", [0.0, 0.1, 0.2])], (1, 3)),
    # Sigmoid, Tanh, Add, LeakyRelu, Concat, GlobalAveragePool, Reshape, MatMul + Add, Dropout, Identity.
    "branches_matmul": model(
        [node("Conv", ["x", "w"], ["c"], name="conv1", pads=[1, 1, 1, 1]),
         node("Sigmoid", ["c"], ["s"], name="sig"),
         node("Tanh", ["c"], ["t"], name="tanh"),
         node("Add", ["s", "t"], ["a"], name="add1"),
         node("LeakyRelu", ["a"], ["l"], name="leaky", alpha=0.1),
         node("Concat", ["a", "l"], ["k"], name="cat1", axis=1),
         node("GlobalAveragePool", ["k"], ["gp"], name="gap"),
         node("Dropout", ["gp"], ["d"], name="drop"),
         node("Identity", ["d"], ["i"], name="id"),
         node("Reshape", ["i", "shape"], ["f"], name="reshape1"),
         node("MatMul", ["f", "wm"], ["m"], name="mm"),
         node("Add", ["m", "bm"], ["y"], name="bias")],
        [W("w", (2, 1, 3, 3)), helper.make_tensor("shape", TensorProto.INT64, [2], [1, 4]), W("wm", (4, 3), 2),
         const("bm", [0.1, 0.2, 0.3])], (1, 3)),
    # Pad, depthwise strided Conv with bias, HardSwish (opset 14), HardSigmoid, AveragePool, Clip (ReLU6), Constant.
    "depthwise_hard": model(
        [node("Conv", ["x", "w"], ["c"], name="conv1"),
         node("Pad", ["c", "pads"], ["pd"], name="pad1"),
         node("Conv", ["pd", "wd", "bd"], ["d"], name="dw", group=2, strides=[2, 2]),
         node("HardSwish", ["d"], ["h"], name="hswish"),
         node("HardSigmoid", ["h"], ["hs"], name="hsig", alpha=0.2, beta=0.5),
         node("AveragePool", ["hs"], ["ap"], name="avg", kernel_shape=[2, 2], strides=[1, 1]),
         node("Constant", [], ["six"], name="six", value=helper.make_tensor("v", TensorProto.FLOAT, [], [6.0])),
         node("Constant", [], ["zero"], name="zero", value=helper.make_tensor("v", TensorProto.FLOAT, [], [0.0])),
         node("Clip", ["ap", "zero", "six"], ["y"], name="relu6")],
        [W("w", (2, 1, 1, 1)), helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 1, 1, 0, 0, 1, 1]),
         W("wd", (2, 1, 3, 3), 3), const("bd", [0.0, 0.1])], (1, 2, 2, 2), opset=14),
    # Regression: a Pad of 100, beyond the 64 a window's own pads may have (any
    # int64 was taken and narrowed to int before).
    "regress_pad_large": model(
        [node("Pad", ["x", "pads"], ["p1"], name="pad1"),
         node("Conv", ["p1", "w"], ["y"], name="conv1")],
        [helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 100, 100, 0, 0, 100, 100]), W("w", (2, 1, 3, 3))],
        (1, 2, 204, 204)),
}

out = os.path.join(here, "onnx")
os.makedirs(out, exist_ok=True)
for name, m in seeds.items():
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())
make_models.bad_models(out, seeds["conv_bn_pool_gemm"].SerializeToString())
for junk in ("bad_empty", "bad_garbage"):  # libFuzzer tries empty and random inputs itself
    os.remove(os.path.join(out, junk + ".onnx"))
