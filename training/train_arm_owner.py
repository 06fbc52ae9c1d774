# Trains the arm-owner model on the hand patches scripts/models-build.ts cuts (#13) and exports it to ONNX:
# a patch centred on a hand, from the frame at 2x the detector's input, in; a probability map over the patch
# of where the body that arm joins stands, out (softmax over stride-2 cells, trained against a small
# Gaussian at the true owner's centre). Seen from the ceiling, which way is up does not matter: every batch is
# rotated and mirrored at random, the owner point with it. Run with Debian's /usr/bin/python3 (torch 1.13).
# Usage: train_arm_owner.py <data dir> <out.onnx> [epochs]
import sys

import numpy as np

from arm_nets import ArmNet, export, fit, held_out_errors, load_patches, seed

seed()


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    crop, owners, _, xt, train_idx, val_idx = load_patches(data, "arm-train")
    net = ArmNet(crop)
    print(f"arm-owner: {len(xt)} patches ({len(train_idx)} train, {len(val_idx)} held out)", flush=True)

    def report(epoch, loss, seconds):
        (e,) = held_out_errors(net, xt, val_idx, [owners], crop)
        print(
            f"arm-owner epoch {epoch + 1}/{epochs} loss {loss:.4f} held-out error median "
            f"{np.median(e):.1f} px, within 6 px {np.mean(e <= 6):.3f}, within 12 px {np.mean(e <= 12):.3f} "
            f"({seconds:.0f} s)",
            flush=True,
        )

    fit(net, xt, [owners], train_idx, crop, epochs, report)
    export(net, crop, out, ["owner_map"])


if __name__ == "__main__":
    main()
