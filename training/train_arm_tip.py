# Trains the arm-tip net on the patches scripts/models-build.ts cuts for it (#13) and exports it to ONNX: a
# patch cut around a hand the detector found, from the frame at 2x the detector's input, in; a probability map
# over the patch of where the arm through its centre really ends, `tip_map`, out. The detector often finds a
# long reach's hand short along its arm, so half the patches are cut around a point up to half-way back along
# the arm, and the map is trained against a small Gaussian at the true hand (softmax over stride-2 cells). The
# net is the arm-owner net's shape with a second head trained beside it on the owner (an auxiliary task that
# keeps it following the arm; training/merge_arm.py keeps only `tip_map`). Seen from the ceiling, which way is
# up does not matter: every batch is rotated and mirrored at random, the points with it. Run with Debian's
# /usr/bin/python3 (torch 1.13). Usage: train_arm_tip.py <data dir> <out.onnx> [epochs]
import sys

import numpy as np

from arm_nets import ArmNet, export, fit, held_out_errors, load_patches, seed

seed()


def main():
    data, out = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    crop, owners, tips, xt, train_idx, val_idx = load_patches(data, "arm-tip")
    net = ArmNet(crop, heads=2)
    print(f"arm-tip: {len(xt)} patches ({len(train_idx)} train, {len(val_idx)} held out)", flush=True)
    # how far the patch's centre (where the detector put the hand) was from the arm's end
    off = np.hypot(*(tips[val_idx] - crop / 2).T)

    def report(epoch, loss, seconds):
        e, t = held_out_errors(net, xt, val_idx, [owners, tips], crop)
        print(
            f"arm-tip epoch {epoch + 1}/{epochs} loss {loss:.4f} held-out error median "
            f"{np.median(e):.1f} px, within 6 px {np.mean(e <= 6):.3f}, within 12 px {np.mean(e <= 12):.3f}; "
            f"arm's end within 3 px {np.mean(t <= 3):.3f} (the patch centre {np.mean(off <= 3):.3f}), of those "
            f"cut short by over 6 px {np.mean(t[off > 6] <= 3):.3f} ({seconds:.0f} s)",
            flush=True,
        )

    fit(net, xt, [owners, tips], train_idx, crop, epochs, report)
    export(net, crop, out, ["owner_map", "tip_map"])


if __name__ == "__main__":
    main()
