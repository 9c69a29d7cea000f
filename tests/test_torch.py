"""from_torch against PyTorch's own forward pass (float64) at random points; skipped without torch."""

from __future__ import annotations

import numpy as np
import pytest

from semialg import FormatError, from_torch

torch = pytest.importorskip("torch")
nn = torch.nn


def compare(module, net, d, rtol=1e-12, n=25, seed=0):
    module = module.double().eval()
    X = np.random.default_rng(seed).standard_normal((n, d))
    with torch.no_grad():
        ref = module(torch.from_numpy(X)).numpy()
    got = np.array([[float(v) for v in net(list(x))] for x in X])
    np.testing.assert_allclose(got, ref.reshape(got.shape), rtol=rtol, atol=rtol)


def test_sequential_reads_weights_exactly():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Dropout(0.3), nn.Linear(5, 4), nn.ReLU(inplace=True),
                      nn.Identity(), nn.Linear(4, 2)).eval()
    net = from_torch(m)
    assert net.widths == (3, 5, 4, 2) and net.assumptions == ()
    from semialg import Network
    assert net.weights[0] == Network.from_arrays([m[0].weight.detach().numpy()], [[0] * 5]).weights[0]
    compare(m, from_torch(m.double()), 3)


def test_nested_sequential_flatten_and_bias_free():
    torch.manual_seed(1)
    m = nn.Sequential(nn.Flatten(), nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU()), nn.Linear(3, 1)).eval()
    net = from_torch(m)
    assert net.widths == (4, 3, 1) and all(b == 0 for b in net.biases[0])
    compare(m, from_torch(m.double()), 4)


class Chain(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(3, 4), nn.Linear(4, 4), nn.Linear(4, 2)

    def forward(self, x):
        x = torch.relu(self.fc1(x.flatten(1)))
        return self.out(nn.functional.relu(self.fc2(x)))


def test_custom_module_traced():
    torch.manual_seed(2)
    m = Chain().double().eval()
    net = from_torch(m)
    assert net.widths == (3, 4, 4, 2)
    compare(m, net, 3)


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x) + x


def test_non_chains_are_refused():
    with pytest.raises(FormatError, match="simple chain"):
        from_torch(Residual())


@pytest.mark.parametrize("layer", [nn.LeakyReLU(), nn.Tanh(), nn.Sigmoid(), nn.GELU(), nn.ReLU6(), nn.Conv1d(1, 1, 1)])
def test_other_layers_are_refused_by_name(layer):
    m = nn.Sequential(nn.Linear(2, 3), layer, nn.Linear(3, 1)).eval()
    with pytest.raises(FormatError, match=f"'1' \\({type(layer).__name__}\\)"):
        from_torch(m)


@pytest.mark.parametrize("final", [nn.Softmax(dim=1), nn.Sigmoid(), nn.LogSoftmax(dim=1)])
def test_final_activation_only_with_logits(final):
    torch.manual_seed(3)
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), final).eval()
    with pytest.raises(FormatError, match="logits"):
        from_torch(m)
    net = from_torch(m.double(), logits=True)
    assert "logit map" in net.assumptions[-1]
    compare(m[:-1], net, 2)


def test_batchnorm_folded_before_and_after_relu_and_at_the_input():
    torch.manual_seed(4)
    m = nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.BatchNorm1d(5),
                      nn.Linear(5, 2, bias=False), nn.BatchNorm1d(2))
    for bn in (m[0], m[2], m[4], m[6]):
        n = bn.num_features
        bn.running_mean.copy_(torch.randn(n))
        bn.running_var.copy_(torch.rand(n) + 0.5)
        bn.weight.data.copy_(torch.randn(n))
        bn.bias.data.copy_(torch.randn(n))
    m = m.double().eval()
    net = from_torch(m)
    assert net.widths == (3, 5, 2) and "float64" in net.assumptions[0] and "0, 2, 4, 6" in net.assumptions[0]
    compare(m, net, 3, rtol=1e-10)


def test_training_mode_is_refused():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    with pytest.raises(FormatError, match="eval"):
        from_torch(m)
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(), nn.Linear(3, 1))
    with pytest.raises(FormatError, match="eval"):
        from_torch(m)


def test_not_a_module():
    with pytest.raises(FormatError, match="torch.nn.Module"):
        from_torch([1, 2])


def test_state_dict_file_reads_like_the_module(tmp_path):
    """The same model through two independent readers: the module (fx/Sequential) and its state dict file."""
    torch.manual_seed(5)
    m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 4, bias=False), nn.ReLU(),
                      nn.Linear(4, 2))
    m[1].running_mean.copy_(torch.randn(4))
    m[1].running_var.copy_(torch.rand(4) + 0.5)
    m.eval()
    np.savez(tmp_path / "sd.npz", **{k: v.numpy() for k, v in m.state_dict().items()})
    from semialg import load
    assert load(tmp_path / "sd.npz") == from_torch(m)


def test_torch_onnx_export_reads_like_the_module():
    """PyTorch's own ONNX exporter and from_torch: two independent routes to the same exact network."""
    onnx = pytest.importorskip("onnx")
    import io
    import warnings
    from semialg import from_onnx
    torch.manual_seed(6)
    m = nn.Sequential(nn.Flatten(), nn.Linear(4, 5), nn.ReLU(), nn.Dropout(0.2), nn.Linear(5, 3), nn.ReLU(),
                      nn.Linear(3, 2), nn.Softmax(dim=1)).eval()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.onnx.export(m, (torch.randn(1, 2, 2),), buf, dynamo=False, input_names=["x"], output_names=["y"])
        except Exception as e:  # an exporter that needs packages not installed here
            pytest.skip(f"torch.onnx.export unavailable: {e}")
    model = onnx.load_from_string(buf.getvalue())
    with pytest.raises(FormatError, match="Softmax"):
        from_onnx(model)
    assert from_onnx(model, logits=True) == from_torch(m, logits=True)
