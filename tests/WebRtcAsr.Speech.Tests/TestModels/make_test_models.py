#!/usr/bin/env python3
"""Writes the tiny ONNX models the ONNX Runtime binding tests load.

Run with Debian's python3-onnx and python3-numpy (apt-get install python3-onnx python3-numpy):

    python3 tests/WebRtcAsr.Speech.Tests/TestModels/make_test_models.py

The outputs are committed, so the tests need neither package at run time. The weights are
small integers, so every result the tests expect is exact in float32.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]
IR_VERSION = 7  # readable by every ONNX Runtime from 1.8 on


def save(model, name, metadata):
    helper.set_model_props(model, metadata)
    model.ir_version = IR_VERSION
    model.producer_name = "webrtcasr-test-models"
    model.producer_version = "1"
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(HERE, name)
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def add_matmul():
    """y = x @ W + b and x_plus_one = x + 1, with a symbolic batch dimension "N"."""
    w = np.arange(8, dtype=np.float32).reshape(4, 2)  # [[0,1],[2,3],[4,5],[6,7]]
    b = np.array([10, 20], dtype=np.float32)
    one = np.array(1, dtype=np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["y"]),
        helper.make_node("Add", ["x", "one"], ["x_plus_one"]),
    ]
    graph = helper.make_graph(
        nodes,
        "add_matmul",
        inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        outputs=[
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2]),
            helper.make_tensor_value_info("x_plus_one", TensorProto.FLOAT, ["N", 4]),
        ],
        initializer=[
            numpy_helper.from_array(w, "W"),
            numpy_helper.from_array(b, "b"),
            numpy_helper.from_array(one, "one"),
        ],
    )
    model = helper.make_model(graph, opset_imports=OPSET)
    model.doc_string = "MatMul and Add over a symbolic batch"
    model.model_version = 3
    save(model, "add_matmul.onnx", {"model_type": "test_add_matmul", "vocab_size": "7", "comment": "small integers, exact results"})


def int_ops():
    """Two inputs of other element types and three outputs of three types.

    doubled = ids * 2 (int64 [N, T]); as_float = float(ids) (float [N, T]);
    shifted = offset + 5 (int32 [1]).
    """
    nodes = [
        helper.make_node("Mul", ["ids", "two"], ["doubled"]),
        helper.make_node("Cast", ["ids"], ["as_float"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["offset", "five"], ["shifted"]),
    ]
    graph = helper.make_graph(
        nodes,
        "int_ops",
        inputs=[
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["N", "T"]),
            helper.make_tensor_value_info("offset", TensorProto.INT32, [1]),
        ],
        outputs=[
            helper.make_tensor_value_info("doubled", TensorProto.INT64, ["N", "T"]),
            helper.make_tensor_value_info("as_float", TensorProto.FLOAT, ["N", "T"]),
            helper.make_tensor_value_info("shifted", TensorProto.INT32, [1]),
        ],
        initializer=[
            numpy_helper.from_array(np.array(2, dtype=np.int64), "two"),
            numpy_helper.from_array(np.array([5], dtype=np.int32), "five"),
        ],
    )
    model = helper.make_model(graph, opset_imports=OPSET)
    save(model, "int_ops.onnx", {"model_type": "test_int_ops"})


if __name__ == "__main__":
    add_matmul()
    int_ops()
