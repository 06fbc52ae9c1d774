# Joins the arm-owner model (whose arm: `owner_map`) and the arm-tip model (where the arm ends: its `tip_map`)
# into one ONNX file that the edge runs once per batch of hand patches (#13). Both read the same `patches`
# input; the tip model's nodes and weights are renamed (prefix `tip/`) so nothing collides, and only its
# `tip_map` output is kept. Usage: merge_arm.py <owner.onnx> <tip.onnx> <out.onnx>
import sys

import onnx
from onnx import compose, helper, utils


def main():
    owner_path, tip_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    # an arm-owner file that already has a tip (a shipped one whose tip net is retrained) gives its owner only
    owner = utils.Extractor(onnx.load(owner_path)).extract_model(["patches"], ["owner_map"])
    # only what `tip_map` needs (a tip model that also has an owner head loses it here)
    tip = compose.add_prefix(utils.Extractor(onnx.load(tip_path)).extract_model(["patches"], ["tip_map"]), "tip/")
    # the tip model's input is the same patches tensor
    for node in tip.graph.node:
        node.input[:] = ["patches" if i == "tip/patches" else i for i in node.input]
    tip_map = [o for o in tip.graph.output if o.name == "tip/tip_map"]
    if len(tip_map) != 1:
        raise SystemExit(f"{tip_path} has no tip_map output")
    for node in tip.graph.node:
        node.output[:] = ["tip_map" if o == "tip/tip_map" else o for o in node.output]
    tip_map[0].name = "tip_map"
    graph = helper.make_graph(
        list(owner.graph.node) + list(tip.graph.node),
        "arm_owner_and_tip",
        list(owner.graph.input),
        [o for o in owner.graph.output if o.name == "owner_map"] + tip_map,
        list(owner.graph.initializer) + list(tip.graph.initializer),
    )
    model = helper.make_model(graph, opset_imports=owner.opset_import, producer_name="walkout merge_arm.py")
    model.ir_version = owner.ir_version
    onnx.checker.check_model(model)
    onnx.save(model, out)
    print(f"wrote {out} (owner_map from {owner_path}, tip_map from {tip_path})", flush=True)


if __name__ == "__main__":
    main()
