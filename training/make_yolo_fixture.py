# Builds test/unit/edge/vision/fixtures/yolo-tiny.onnx: a tiny ONNX graph with the output layout of an Ultralytics
# YOLOv8/v11 detector export ([1, 4 + 80, N], boxes cx,cy,w,h in input pixels, then class scores), so the edge's
# YOLO decoding is tested against a real model run by onnxruntime. The person score of anchor 0 is the
# image's mean brightness: a white frame shows that person, a black one does not.
# Usage: /usr/bin/python3 training/make_yolo_fixture.py [out.onnx]
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 64
N = 6
CLASSES = 80

boxes = np.zeros((1, 4 + CLASSES, N), np.float32)
rows = [
    # cx, cy, w, h (input pixels), class, score
    (32, 20, 10, 12, 0, 0.0),  # person; score from the image (see above)
    (16, 40, 8, 8, 0, 0.9),  # person
    (17, 41, 8, 8, 0, 0.6),  # overlaps the previous one: suppressed by NMS
    (50, 50, 6, 6, 2, 0.95),  # a car: not a person
    (40, 10, 5, 5, 0, 0.1),  # person below the score threshold
    (8, 8, 4, 4, 0, 0.0),  # empty anchor
]
for n, (cx, cy, w, h, cls, score) in enumerate(rows):
    boxes[0, 0:4, n] = (cx, cy, w, h)
    boxes[0, 4 + cls, n] = score
mask = np.zeros_like(boxes)
mask[0, 4, 0] = 1.0

graph = helper.make_graph(
    [
        helper.make_node("ReduceMean", ["images"], ["mean"], axes=[1, 2, 3], keepdims=1),
        helper.make_node("Reshape", ["mean", "shape3"], ["mean3"]),
        helper.make_node("Mul", ["mask", "mean3"], ["scores"]),
        helper.make_node("Add", ["boxes", "scores"], ["output0"]),
    ],
    "yolo-tiny-fixture",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
    [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 4 + CLASSES, N])],
    [
        numpy_helper.from_array(boxes, "boxes"),
        numpy_helper.from_array(mask, "mask"),
        numpy_helper.from_array(np.array([1, 1, 1], np.int64), "shape3"),
    ],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="walkout")
model.ir_version = 7
onnx.checker.check_model(model)
out = sys.argv[1] if len(sys.argv) > 1 else "test/unit/edge/vision/fixtures/yolo-tiny.onnx"
onnx.save(model, out)
print(f"wrote {out}")
