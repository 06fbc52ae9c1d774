# Building blocks the training scripts share (run from training/, so `from layers import block` finds this).
from torch import nn


def block(cin, cout, stride=1, dilation=1):
    """3x3 convolution (padding keeps the size at stride 1), BatchNorm, ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )
