# Builds the tiny YOLO fixtures the edge's decoding is tested against, one per output format the detector
# accepts, each a real ONNX graph run by onnxruntime (64x64 input, a handful of anchors):
#   yolo-tiny.onnx          Ultralytics YOLOv8/v11 detect  [1, 4 + 80, N]: cx, cy, w, h, then 80 class scores
#   yolo-end2end-tiny.onnx  end-to-end (NMS-free) export   [1, N, 6]: x1, y1, x2, y2, score, class
#   yolo-pose-tiny.onnx     YOLOv8/v11 pose                [1, 4 + 1 + 17 * 3, N]: box, person score, keypoints
# Boxes and keypoints are in input pixels. In each, the score of anchor 0 is the image's mean brightness: a
# white frame shows that person, a black one does not (proves the graph really reads the input).
# Usage: /usr/bin/python3 training/make_yolo_fixture.py [out-dir]   (python3-onnx from Debian)
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 64
CLASSES = 80
KEYPOINTS = 17  # COCO order: 9 left wrist, 10 right wrist, 15 left ankle, 16 right ankle


def brightness_graph(name, constant, score_at):
    """output0 = constant + mean(image) at `score_at` (index into the output)."""
    mask = np.zeros_like(constant)
    mask[score_at] = 1.0
    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["images"], ["mean"], axes=[1, 2, 3], keepdims=1),
            helper.make_node("Reshape", ["mean", "shape3"], ["mean3"]),
            helper.make_node("Mul", ["mask", "mean3"], ["scores"]),
            helper.make_node("Add", ["boxes", "scores"], ["output0"]),
        ],
        name,
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(constant.shape))],
        [
            numpy_helper.from_array(constant, "boxes"),
            numpy_helper.from_array(mask, "mask"),
            numpy_helper.from_array(np.array([1, 1, 1], np.int64), "shape3"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="walkout")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def detect_v8():
    rows = [
        # cx, cy, w, h (input pixels), class, score
        (32, 20, 10, 12, 0, 0.0),  # person; score from the image (see above)
        (16, 40, 8, 8, 0, 0.9),  # person
        (17, 41, 8, 8, 0, 0.6),  # overlaps the previous one: suppressed by NMS
        (50, 50, 6, 6, 2, 0.95),  # a car: not a person
        (40, 10, 5, 5, 0, 0.1),  # person below the score threshold
        (8, 8, 4, 4, 0, 0.0),  # empty anchor
        (0, 0, 0, 0, 0, 0.0),  # another: 7 anchors, so no dimension is 6 as in the end-to-end format
    ]
    out = np.zeros((1, 4 + CLASSES, len(rows)), np.float32)
    for n, (cx, cy, w, h, cls, score) in enumerate(rows):
        out[0, 0:4, n] = (cx, cy, w, h)
        out[0, 4 + cls, n] = score
    return brightness_graph("yolo-v8-fixture", out, (0, 4, 0))


def end2end():
    rows = [
        # x1, y1, x2, y2 (input pixels), score, class — already NMS'd by the model, best first
        (27, 14, 37, 26, 0.0, 0),  # person; score from the image
        (12, 36, 20, 44, 0.9, 0),  # person
        (47, 47, 53, 53, 0.95, 2),  # a car
        (38, 8, 42, 12, 0.1, 0),  # person below the threshold
        (0, 0, 0, 0, 0.0, 0),  # padding row
    ]
    out = np.array([rows], np.float32)
    return brightness_graph("yolo-end2end-fixture", out, (0, 0, 4))


def pose():
    def person(cx, cy, w, h, score, wrists, ankles):
        kp = np.zeros((KEYPOINTS, 3), np.float32)
        kp[0] = (cx, cy - h / 2 + 2, 0.9)  # nose
        for k, (x, y, v) in zip((9, 10), wrists):
            kp[k] = (x, y, v)
        for k, (x, y, v) in zip((15, 16), ankles):
            kp[k] = (x, y, v)
        return np.concatenate([[cx, cy, w, h, score], kp.reshape(-1)])

    anchors = [
        # both ankles seen: floor point between them; both wrists seen
        person(32, 24, 12, 24, 0.0, [(26, 24, 0.9), (38, 22, 0.8)], [(30, 35, 0.9), (34, 35, 0.9)]),
        # ankles hidden: floor point at the box bottom; one wrist seen, one not
        person(12, 40, 8, 16, 0.85, [(8, 38, 0.95), (16, 38, 0.2)], [(11, 47, 0.1), (13, 47, 0.2)]),
        # overlaps the previous one: suppressed by NMS with its keypoints
        person(13, 40, 8, 16, 0.5, [(9, 38, 0.9), (17, 38, 0.9)], [(12, 48, 0.9), (14, 48, 0.9)]),
        # below the threshold
        person(50, 12, 6, 12, 0.1, [(48, 12, 0.9), (52, 12, 0.9)], [(50, 18, 0.9), (50, 18, 0.9)]),
    ]
    out = np.stack(anchors, axis=1)[np.newaxis].astype(np.float32)
    return brightness_graph("yolo-pose-fixture", out, (0, 4, 0))


out_dir = sys.argv[1] if len(sys.argv) > 1 else "test/unit/edge/vision/fixtures"
for name, model in (
    ("yolo-tiny.onnx", detect_v8()),
    ("yolo-end2end-tiny.onnx", end2end()),
    ("yolo-pose-tiny.onnx", pose()),
):
    path = os.path.join(out_dir, name)
    onnx.save(model, path)
    print(f"wrote {path} {model.graph.output[0].type.tensor_type.shape}".replace("\n", " "))
