"""A hostile corpus generated at test time: forged certificates, hostile numbers, hostile files, hostile command
lines and interrupts. Every case must end in a clean, one-line refusal (or a refusal to verify)."""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
from flint import fmpq

import semialg as sa
from semialg import CertificateError, Network
from semialg.core.certificate import EquivalenceResult, OrbitCertificate, PointCertificate
from semialg.geometry.polyhedron import Polytope

from conftest import ROOT


# == forged certificates ===================================================================================

def _pairs():
    """(equivalent pair, non-equivalent pair) for every family: shallow, bottleneck (b), deep."""
    out = []
    for widths, seed in (((2, 3, 1), 1), ((2, 1, 2, 1), 2), ((2, 2, 2, 1), 3)):
        net = Network.random(widths, seed=seed)
        image = sa.GroupElement.random(net.architecture, seed=seed + 10).act(net)
        other = Network.random(widths, seed=seed + 20)
        out.append(((net, image), (net, other)))
    return out


@pytest.mark.parametrize("eq_pair, ne_pair", _pairs())
def test_genuine_results_verify_and_forgeries_do_not(eq_pair, ne_pair):
    yes, no = sa.equivalent(*eq_pair), sa.equivalent(*ne_pair)
    assert yes and not no and yes.verify(*eq_pair) and no.verify(*ne_pair)
    forgeries = [
        (EquivalenceResult(not yes.equivalent, yes.certificate, yes.method), eq_pair),   # flipped answers
        (EquivalenceResult(not no.equivalent, no.certificate, no.method), ne_pair),
        (EquivalenceResult(True, no.certificate, no.method), ne_pair),                    # swapped certificates
        (EquivalenceResult(False, yes.certificate, yes.method), ne_pair),
        (yes, ne_pair),                                                                   # another pair
        (no, eq_pair),
        (EquivalenceResult(True, "trust me"), eq_pair),                                   # not a certificate
        (EquivalenceResult("yes", yes.certificate), eq_pair),
    ]
    for forged, pair in forgeries:
        with pytest.raises(CertificateError):
            forged.verify(*pair)


def test_point_certificate_values_are_recomputed():
    n1, n2 = Network.random((2, 3, 1), seed=1), Network.random((2, 3, 1), seed=2)
    x = (fmpq(1), fmpq(-2))
    assert n1(x) != n2(x)
    assert PointCertificate(x, (n1(x), n2(x))).verify(n1, n2)
    fake = (tuple(v + 1 for v in n1(x)), n2(x))
    for cert in (PointCertificate(x, fake), PointCertificate(x, (n2(x), n1(x))), PointCertificate(x[:1], fake),
                 PointCertificate((1.5, 2), (n1([1.5, 2]), n2([1.5, 2])))):
        with pytest.raises(CertificateError):
            EquivalenceResult(False, cert).verify(n1, n2)


def test_a_box_certificate_never_supports_an_everywhere_claim():
    # s(x) and x agree on (0, 1) but not everywhere
    relu = Network.from_arrays([[[1]], [[1]]], [[0], [0]])
    ident = Network.from_arrays([[[1], [-1]], [[1, -1]]], [[0, 0], [0]])
    box = Polytope.box([0], [1])
    on_box = sa.equivalent(relu, ident, domain=box)
    assert on_box and on_box.verify(relu, ident) and not sa.equivalent(relu, ident)
    unbound = dataclasses.replace(on_box.certificate, subject=None)
    for forged in (EquivalenceResult(True, on_box.certificate, on_box.method),
                   EquivalenceResult(True, unbound, on_box.method),
                   EquivalenceResult(True, unbound, on_box.method, Polytope.box([-1], [1]))):
        with pytest.raises(CertificateError):
            forged.verify(relu, ident)
    # a separating point outside the domain does not refute equivalence on the domain
    x = (fmpq(-1),)
    with pytest.raises(CertificateError, match="outside the domain"):
        EquivalenceResult(False, PointCertificate(x, (relu(x), ident(x))), domain=box).verify(relu, ident)


def test_a_bound_certificate_refuses_another_pair_it_would_otherwise_prove():
    a, b = Network.random((2, 3, 1), seed=4), Network.random((2, 3, 1), seed=5)
    g = sa.GroupElement.random(a.architecture, seed=6)
    r = sa.equivalent(a, g.act(a))
    assert isinstance(r.certificate, OrbitCertificate) and r.certificate.subject is not None
    dataclasses.replace(r.certificate, subject=None).verify(b, g.act(b))  # the bare element proves (b, g.b) ...
    with pytest.raises(CertificateError, match="another pair"):
        r.verify(b, g.act(b))                                              # ... but this one is about (a, g.a)
    with pytest.raises(CertificateError, match="another pair"):
        r.certificate.verify(b, g.act(b))


def test_certificates_declare_their_answers_and_serialise():
    from semialg.core.certificate import Certificate
    from semialg.engine.regions import RegionCertificate
    from semialg.families.bottleneck import ArrangementCertificate, RidgeCertificate
    from semialg.families.shallow import MoveCertificate
    for cls in (OrbitCertificate, MoveCertificate, RidgeCertificate, ArrangementCertificate, RegionCertificate):
        assert issubclass(cls, Certificate) and cls.SUPPORTS == {True}
    assert PointCertificate.SUPPORTS == {False}
    for eq_pair, ne_pair in _pairs():
        for pair in (eq_pair, ne_pair):
            r = sa.equivalent(*pair)
            data = json.loads(json.dumps(r.to_json()))
            assert data["certificate"]["type"] == type(r.certificate).__name__
            assert data["certificate"]["subject"]["first"] == sa.core.certificate.network_fingerprint(pair[0])
            assert r.certificate.describe() and r.certificate.to_latex()
    with pytest.raises(TypeError, match="SUPPORTS"):
        @dataclasses.dataclass(frozen=True)
        class Undeclared(Certificate):
            def verify(self, net1, net2):
                return True


# == hostile numbers and JSON ===============================================================================

def _net_json(weight1="[[1, 2]]", bias1="[0]", extra=""):
    return ('{"format": "semialg.network/1"' + extra + ', "layers": [{"weight": ' + weight1 + ', "bias": ' + bias1
            + '}, {"weight": [[1]], "bias": [0]}]}')


HOSTILE_JSON = {
    "huge exponent": (_net_json("[[1e999999999, 2]]"), "W1[0][0]"),
    "huge exponent string": (_net_json('[["1e999999999", 2]]'), "W1[0][0]"),
    "negative huge exponent": (_net_json('[[1, "-3E-99999999999999"]]'), "W1[0][1]"),
    "many digits": (_net_json("[[1, " + "7" * 5000 + "]]"), "W1[0][1]"),
    "many digits string": (_net_json('[[1, "' + "7" * 5000 + '/3"]]'), "W1[0][1]"),
    "arabic-indic digit": (_net_json('[["\u0661", 2]]'), "W1[0][0]"),
    "underscore": (_net_json('[["1_000", 2]]'), "W1[0][0]"),
    "hex": (_net_json('[["0x10", 2]]'), "W1[0][0]"),
    "zero denominator": (_net_json('[["1/0", 2]]'), "W1[0][0]"),
    "infinity string": (_net_json('[["inf", 2]]'), "W1[0][0]"),
    "NaN literal": (_net_json("[[NaN, 2]]"), "NaN"),
    "Infinity literal": (_net_json("[[1, -Infinity]]"), "Infinity"),
    "boolean entry": (_net_json("[[true, 2]]"), "W1[0][0]"),
    "null entry": (_net_json("[[null, 2]]"), "W1[0][0]"),
    "nested entry": (_net_json("[[[1], 2]]"), "W1[0][0]"),
    "object entry": (_net_json('[[{"a": 1}, 2]]'), "W1[0][0]"),
    "weight a number": (_net_json("5"), "layer 1"),
    "weight a string": (_net_json('"abc"'), "layer 1"),
    "weight a flat list": (_net_json("[1, 2]"), "layer 1"),
    "bias an object": (_net_json(bias1='{"a": 1}'), "layer 1"),
    "bias a number": (_net_json(bias1="0"), "layer 1"),
    "ragged": (_net_json("[[1, 2], [3]]", "[0, 0]"), "W1"),
    "widths a number": (_net_json(extra=', "widths": 5'), "widths"),
    "widths of strings": (_net_json(extra=', "widths": ["2", "1", "1"]'), "widths"),
    "widths huge": (_net_json(extra=', "widths": [2, 1, 1e400]'), "widths"),
    "widths wrong": (_net_json(extra=', "widths": [3, 1, 1]'), "widths"),
    "duplicate key": (_net_json(extra=', "layers": []'), "duplicate key 'layers'"),
    "duplicate inner key": (_net_json(bias1='[0], "bias": [1]'), "duplicate key 'bias'"),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, "nested"),
    "deep nesting in an entry": (_net_json("[[" + "[" * 50 + "1" + "]" * 50 + "]]"), "nested"),
    "layers a number": ('{"format": "semialg.network/1", "layers": 5}', "'layers'"),
    "layers empty": ('{"format": "semialg.network/1", "layers": []}', "'layers'"),
    "format a number": ('{"format": 1, "layers": []}', "format"),
    "format missing": ('{"layers": []}', "format"),
    "top-level list": ("[1, 2]", "JSON object"),
    "top-level number": ("1e999999999", "JSON object"),
    "top-level string": ('"semialg.network/1"', "JSON object"),
    "empty": ("", "malformed"),
    "truncated": (_net_json()[:40], "malformed"),
    "activation": (_net_json(extra=', "activation": "tanh"'), "tanh"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
def test_hostile_json_is_refused_in_one_line_naming_where(tmp_path, hang_guard, name):
    text, where = HOSTILE_JSON[name]
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(sa.ParameterError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and where in msg and "\n" not in msg and len(msg) < 400
    if "W1" in where:
        assert "layer 1" in msg


def test_json_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"format": "semialg.network/1\xff"}')
    with pytest.raises(sa.FormatError, match="UTF-8"):
        sa.load(path)


def test_json_decimals_and_numbers_are_read_exactly(tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(_net_json('[[0.1, "-2.5e-3"]]', "[1e3]", ', "widths": [2, 1, 1]'))
    net = sa.load(path)
    assert net.weights[0][0] == (fmpq(1, 10), fmpq(-1, 400)) and net.biases[0] == (fmpq(1000),)


# == hostile binary files ======================================================================================

import io as _io  # noqa: E402
import zipfile  # noqa: E402

import numpy as np  # noqa: E402

from semialg.ui import io as sio  # noqa: E402


def _npy_bytes(arr, shape=None, dtype=None):
    """The .npy bytes of ``arr``; ``shape``/``dtype`` override what the header declares (a lying header)."""
    buf = _io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": np.lib.format.dtype_to_descr(dtype or arr.dtype),
                                               "fortran_order": False, "shape": shape or arr.shape})
    return buf.getvalue() + arr.tobytes()


def _zip(path, members, compression=zipfile.ZIP_STORED):
    import warnings
    with zipfile.ZipFile(path, "w", compression) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are part of the corpus
        for name, data in members:
            zf.writestr(name, data)


GOOD = [("W1.npy", _npy_bytes(np.array([[1.0, 2.0]]))), ("b1.npy", _npy_bytes(np.array([0.0]))),
        ("W2.npy", _npy_bytes(np.array([[1.0]]))), ("b2.npy", _npy_bytes(np.array([0.5])))]


def _hostile_npz(tmp_path, name, monkeypatch):
    path = tmp_path / "hostile.npz"
    if name == "lying header (10^6 x 10^6)":
        _zip(path, [("W1.npy", _npy_bytes(np.zeros((1, 2)), shape=(10 ** 6, 10 ** 6)))] + GOOD[1:])
    elif name == "header smaller than the data":
        _zip(path, [("W1.npy", _npy_bytes(np.zeros((4, 4)), shape=(1, 2)))] + GOOD[1:])
    elif name == "zip bomb":
        monkeypatch.setattr(sio, "MAX_FILE_BYTES", 2 ** 20)
        _zip(path, GOOD + [("b9.npy", _npy_bytes(np.zeros(2 ** 18)))], zipfile.ZIP_DEFLATED)
    elif name == "too many members":
        monkeypatch.setattr(sio, "NPZ_MAX_MEMBERS", 3)
        _zip(path, GOOD)
    elif name == ".npy named .npz":
        path.write_bytes(_npy_bytes(np.zeros((2, 2))))
    elif name == "pickle named .npz":
        path.write_bytes(b"\x80\x04\x95" + b"\x00" * 20)
    elif name == "object array":
        with open(path, "wb") as fh:
            np.savez(fh, W1=np.array([[1, "a"]], dtype=object), b1=np.zeros(1))
    elif name == "torch checkpoint named .npz":
        _zip(path, [("archive/data.pkl", b"\x80\x02}q\x00."), ("archive/data/0", b"\x00" * 8)])
    elif name == "truncated":
        _zip(path, GOOD)
        path.write_bytes(path.read_bytes()[:150])
    elif name == "random bytes":
        path.write_bytes(os.urandom(256))
    elif name == "duplicate members":
        _zip(path, GOOD + [GOOD[0]])
    elif name == "unsupported .npy version":
        _zip(path, [("W1.npy", b"\x93NUMPY\x09\x00" + b"\x00" * 20)] + GOOD[1:])
    elif name == "malformed header":
        _zip(path, [("W1.npy", b"\x93NUMPY\x01\x00\x10\x00{'descr': <i8}  \n")] + GOOD[1:])
    elif name == "complex dtype":
        _zip(path, [("W1.npy", _npy_bytes(np.array([[1 + 1j, 2]])))] + GOOD[1:])
    elif name == "string dtype":
        _zip(path, [("W1.npy", _npy_bytes(np.array([["1", "2"]])))] + GOOD[1:])
    return path


HOSTILE_NPZ = {"lying header (10^6 x 10^6)": "declares", "header smaller than the data": "declares",
               "zip bomb": "limit", "too many members": "limit", ".npy named .npz": "not pickle-based",
               "pickle named .npz": "never loads", "object array": "never loads",
               "torch checkpoint named .npz": "safetensors.torch.save_file(model.state_dict(), path)",
               "truncated": "npz", "random bytes": "npz", "duplicate members": "two arrays",
               "unsupported .npy version": "version", "malformed header": "header", "complex dtype": "dtype",
               "string dtype": "dtype"}


@pytest.mark.parametrize("name", sorted(HOSTILE_NPZ))
def test_hostile_npz_is_refused_before_allocating(tmp_path, monkeypatch, hang_guard, name):
    path = _hostile_npz(tmp_path, name, monkeypatch)
    with pytest.raises(sa.FormatError) as info:
        sa.load(path)
    msg = str(info.value)
    assert str(path) in msg and HOSTILE_NPZ[name] in msg and "\n" not in msg


def test_the_good_archive_of_the_corpus_loads(tmp_path):
    _zip(tmp_path / "good.npz", GOOD)
    assert sa.load(tmp_path / "good.npz") == Network.from_arrays([[[1, 2]], [[1]]], [[0], ["1/2"]])


def test_long_double_is_read_exactly(tmp_path):
    W = np.array([[1, 2]], dtype=np.longdouble) / 3
    if np.finfo(np.longdouble).nmant <= 52:
        pytest.skip("long double is float64 on this platform")
    with open(tmp_path / "ld.npz", "wb") as fh:
        np.savez(fh, W1=W, b1=np.zeros(1, dtype=np.longdouble), W2=np.ones((1, 1)), b2=np.zeros(1))
    net = sa.load(tmp_path / "ld.npz")
    exact = [fmpq(*map(int, x.as_integer_ratio())) for x in W[0]]
    assert list(net.weights[0][0]) == exact and exact[0] != fmpq(*float(W[0, 0]).as_integer_ratio())


@pytest.mark.parametrize("suffix", [".pt", ".pth", ".pkl", ".ckpt"])
def test_pickle_formats_are_refused_with_the_safetensors_recipe(tmp_path, suffix):
    path = tmp_path / f"model{suffix}"
    path.write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(sa.FormatError, match=r"safetensors\.torch\.save_file\(model\.state_dict\(\), path\)"):
        sa.load(path)


def test_npy_files_are_not_called_pickles(tmp_path):
    np.save(tmp_path / "w.npy", np.zeros((2, 2)))
    with pytest.raises(sa.FormatError) as info:
        sa.load(tmp_path / "w.npy")
    assert "not pickle-based" in str(info.value) and "numpy.savez" in str(info.value)


# == hostile command lines ======================================================================================

import socket  # noqa: E402

from semialg.ui.cli import main  # noqa: E402


def _cli(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as e:  # argparse's refusals
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def files(tmp_path):
    net = tmp_path / "n.json"
    sa.save(Network.random((2, 3, 1), seed=0), net)
    deep = tmp_path / "deep.json"
    sa.save(Network.random((2, 2, 2, 1), seed=0), deep)
    huge = tmp_path / "huge.json"
    huge.write_text(_net_json("[[1e999999999, 2]]"))
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    lying = tmp_path / "lying.npz"
    _zip(lying, [("W1.npy", _npy_bytes(np.zeros((1, 2)), shape=(10 ** 6, 10 ** 6)))] + GOOD[1:])
    pt = tmp_path / "model.pt"
    pt.write_bytes(b"\x80\x04K\x01.")
    return {"net": net, "deep": deep, "huge": huge, "nested": nested, "lying": lying, "pt": pt, "dir": tmp_path}


CLI_ERRORS = [
    [], ["frobnicate"], ["eval"], ["eval", "{dir}/missing.json", "1,2"], ["eval", "{net}", "1,2,3"],
    ["eval", "{net}", "1e999999999,1"], ["eval", "{net}", "\u0661,1"], ["eval", "{huge}", "1,1"],
    ["eval", "{nested}", "1,1"], ["eval", "{lying}", "1,1"], ["eval", "{pt}", "1,1"],
    ["convert", "{net}", "{dir}/out.csv"], ["convert", "{net}", "{dir}/missing/out.json"],
    ["loci", "2,x,1"], ["loci", "9" * 5000], ["loci", "2,3,1", "--members", "-1"],
    ["loci", "2,3,1", "--members", "many"], ["loci", "2,3,1", "--budget", "0"],
    ["generic", "{net}", "--budget", "0"], ["generic", "{net}", "--budget", "1e9"],
    ["regions", "{net}", "--box", "1,2"], ["regions", "{net}", "--box", "1,1:0,0"],
    ["regions", "{net}", "--plot", "{dir}/picture.gif"], ["fibre", "{net}", "--latex", "{dir}/fibre.pdf"],
    ["equiv", "{net}"], ["equiv", "{net}", "{net}", "--budget", "-5"], ["dim", "{net}", "--method", "magic"],
    ["survey", "--arch", "2,2,1", "--samples", "0", "--out", "{dir}/s.json"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--workers", "0", "--out", "{dir}/s.json"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--out", "{dir}/s.csv"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--out", "{dir}/s.png"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--out", "{dir}/s.json", "--scheduler", "no address"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--out", "{dir}/s.json", "--scheduler", "tcp://h:99999"],
    ["survey", "--arch", "2,2,1", "--samples", "1", "--out", "{dir}/s.json", "--connect-timeout", "0"],
    ["survey", "--arch", "2,x", "--samples", "1", "--out", "{dir}/s.json"],
    ["survey", "--arch", "100000,100000,1", "--samples", "1", "--out", "{dir}/s.json"],
]


@pytest.mark.parametrize("argv", CLI_ERRORS, ids=lambda a: " ".join(a)[:60])
def test_every_cli_error_is_one_stderr_line_and_exit_2(capsys, files, hang_guard, argv):
    before = sorted(os.listdir(files["dir"]))
    code, out, err = _cli(capsys, [a.format(**files) for a in argv])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n") and "error" in err and "Traceback" not in err
    assert sorted(os.listdir(files["dir"])) == before             # nothing written, no temporary file left


def test_loci_of_an_enormous_architecture_answers_with_exact_counts(capsys):
    code, out, _ = _cli(capsys, ["loci", "2,70,1", "--members", "1", "--json"])
    data = json.loads(out)
    assert code == 0 and int(data["count"]) == 70 + 70 + 70 * 69 // 2 + 2 ** 70 - 1   # a string beyond 2^53
    assert int({f["name"]: f["count"] for f in data["families"]}["zero_factor"]) == 2 ** 70 - 1


def test_a_spent_budget_answers_undecided_with_exit_1(capsys, files, monkeypatch):
    import semialg.ui.cli as cli

    def slow(args):
        time.sleep(30)
    monkeypatch.setitem(cli.COMMANDS, "dim", dataclasses.replace(cli.COMMANDS["dim"], run=slow))
    code, out, err = _cli(capsys, ["dim", str(files["net"]), "--budget", "1", "--json"])
    data = json.loads(out)
    assert code == 1 and data["status"] == "undecided" and data["reason"] == "limit reached" and err == ""


def test_third_party_warnings_are_silent_unless_verbose(capsys, files, monkeypatch):
    import warnings

    import semialg.ui.cli as cli
    real = cli.COMMANDS["eval"].run

    def noisy(args):
        warnings.warn("a solver banner", UserWarning)
        import logging
        logging.getLogger("distributed.client").error("a dask log line")
        return real(args)
    monkeypatch.setitem(cli.COMMANDS, "eval", dataclasses.replace(cli.COMMANDS["eval"], run=noisy))
    code, out, err = _cli(capsys, ["eval", str(files["net"]), "1,2"])
    assert code == 0 and err == ""
    with pytest.warns(UserWarning):
        code, out, err = _cli(capsys, ["eval", str(files["net"]), "1,2", "--verbose"])


def test_a_silent_tcp_service_is_not_a_scheduler(tmp_path):
    pytest.importorskip("distributed")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)                         # accepts connections, never says a word
        port = server.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "semialg.ui.cli", "survey", "--arch", "2,2,1", "--samples",
                               "1", "--out", str(tmp_path / "s.json"), "--scheduler", f"tcp://127.0.0.1:{port}",
                               "--connect-timeout", "1"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "no Dask scheduler answered" in proc.stderr and not (tmp_path / "s.json").exists()


# == interrupts ===================================================================================================

# The child announces "ready" once the CLI is imported, and "started" when ``module:function`` is first called (in a
# survey's forked worker too): the tests interrupt real work at a known point, whatever the machine's load.
_CHILD = """
import importlib, os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)   # even when started in the background (SIGINT ignored)
import semialg.ui.cli as cli
module, name = sys.argv[1].split(":")
mod = importlib.import_module(module)
real = getattr(mod, name)
def announced(*args, **kwargs):
    os.write(1, b"started\\n")          # one write: two workers starting at once never interleave
    return real(*args, **kwargs)
setattr(mod, name, announced)
os.write(1, b"ready\\n")
sys.exit(cli.main(sys.argv[2:]))
"""
_PATIENCE = 600        # seconds: only a hang reaches it (the events below come within seconds on an idle machine)


def _spawn(target, argv, tmp_path):
    """Start the CLI with ``argv`` in a subprocess that announces the first call of ``target``; return it once it
    has announced (the start and the announcement are awaited, not timed)."""
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, target] + argv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()) or lines.put(proc.stdout.readline()),
                     daemon=True).start()
    try:
        assert lines.get(timeout=_PATIENCE) == "ready\n" and lines.get(timeout=_PATIENCE) == "started\n"
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc


def _interrupt(target, argv, tmp_path):
    """Send a real SIGINT to the CLI while ``target`` runs; return the process and its remaining output."""
    proc = _spawn(target, argv, tmp_path)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=_PATIENCE)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc, out, err


def test_ctrl_c_exits_130_with_one_line_and_writes_nothing(tmp_path):
    sa.save(Network.random((3, 30, 30, 1), seed=0), tmp_path / "big.json")   # minutes of enumeration
    before = sorted(os.listdir(tmp_path))
    proc, out, err = _interrupt("semialg.ui.commands.function:regions",
                                ["regions", "big.json", "--latex", "out.tex", "--budget", "3600"], tmp_path)
    assert proc.returncode == 130 and out == "" and err == "semialg regions: interrupted\n"
    assert sorted(os.listdir(tmp_path)) == before


def test_ctrl_c_stops_a_survey_promptly_and_keeps_its_partial_results(tmp_path):
    # interrupted once a worker analyses its first case (the whole survey takes minutes)
    proc, out, err = _interrupt("semialg.ui.survey:analyse", ["survey", "--arch", "3,12,12,1", "--samples", "40",
                                                              "--workers", "2", "--out", "s.json"], tmp_path)
    assert proc.returncode == 130 and err == "semialg survey: interrupted\n"
    from semialg.ui.survey import load_survey
    partial = load_survey(tmp_path / "s.json")
    assert partial["complete"] is False and len(partial["results"]) < 80
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout
    assert children == ""


def test_a_real_scheduler_passes_the_probe():
    distributed = pytest.importorskip("distributed")
    from semialg.ui import survey
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        with survey.backend(cluster.scheduler_address, connect_timeout=120) as client:
            assert client.submit(sum, [1, 2]).result() == 3


# == forged genericity reports =====================================================================================

def test_forged_genericity_reports_do_not_verify():
    from semialg.engine.loci import GenericityReport
    generic = Network.random((2, 3, 1), seed=11)
    dead = Network.from_arrays([[[1, 2], [0, 0], [1, -1]], [[1, 1, 2]]], [[0, 1, 2], [0]])
    g, d = sa.genericity(generic), sa.genericity(dead)
    assert g.status == "generic" and d.status == "degenerate" and g.verify(generic) and d.verify(dead)
    dropped = GenericityReport(d.architecture, tuple(c for c in d.conditions if c.holds is not False), d.scope)
    flipped = GenericityReport(d.architecture, tuple(dataclasses.replace(c, holds=True, witness=None)
                                                     for c in d.conditions), d.scope)
    lying = GenericityReport(d.architecture, tuple(dataclasses.replace(c, holds=True, witness=None,
                                                                       check=lambda net, cond: True)
                                                   for c in d.conditions), d.scope)
    assert dropped.status == flipped.status == lying.status == "generic"
    forgeries = [(dropped, dead), (flipped, dead), (lying, dead), (GenericityReport(d.architecture, (), d.scope), dead),
                 (g, dead), (d, generic), (g, Network.random((2, 4, 1), seed=1))]
    for report, net in forgeries:
        with pytest.raises(CertificateError):
            report.verify(net)


def test_a_deep_move_certificate_needs_an_inner_proof_of_equivalence_everywhere():
    from semialg.families.deep.equivalence import DeepMoveCertificate
    relu = Network.from_arrays([[[1]], [[1]], [[1]]], [[0], [0], [0]])
    ident = Network.from_arrays([[[1], [-1]], [[1, 0], [0, 1]], [[1, -1]]], [[0, 0], [0, 0], [0]])
    x = (fmpq(-1),)
    point = PointCertificate(x, (relu(x), ident(x)))
    on_box = sa.equivalent(relu, ident, domain=Polytope.box([0], [1]))
    assert on_box and not sa.equivalent(relu, ident)
    for inner in (point, dataclasses.replace(on_box.certificate, subject=None)):
        with pytest.raises(CertificateError):
            EquivalenceResult(True, DeepMoveCertificate((), (), inner)).verify(relu, ident)


def test_loci_of_a_million_parameters_answers_with_counts_and_templates(capsys, hang_guard):
    code, out, _ = _cli(capsys, ["loci", "1000,1000,1", "--json"])
    data = json.loads(out)
    assert code == 0 and data["count"] == str(1000 + 1000 + 1000 * 999 // 2 + 2 ** 1000 - 1)
    assert all(f["members"] == [] and f["template"] for f in data["families"])
    code, out, _ = _cli(capsys, ["loci", "2,20000,1"])
    assert code == 0 and "about 2^20000" in out


# == public API types ===============================================================================================

def _public_functions():
    import inspect
    return [name for name in sa.__all__ if inspect.isfunction(getattr(sa, name))
            and "net" in str(inspect.signature(getattr(sa, name)))]


@pytest.mark.parametrize("name", _public_functions())
@pytest.mark.parametrize("bad", [None, 5, "net.json", [[1]], (x for x in [1])], ids=["None", "int", "str", "list",
                                                                                         "generator"])
def test_public_functions_refuse_wrong_types_with_parameter_error(name, bad):
    import inspect
    fn = getattr(sa, name)
    net = Network.random((2, 2, 1), seed=0)
    params = [p.name for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty]
    first = next(p for p in params if "net" in p)
    args = [bad if p == first else sa.conserved_quantities(net)[0] if p == "Q" else net for p in params]
    with pytest.raises(sa.ParameterError):
        fn(*args)


@pytest.mark.parametrize("call", [lambda: Network.from_arrays(None, None),
                                  lambda: Network.from_arrays((w for w in [[[1]]]), (b for b in [[0]])),
                                  lambda: Network.from_arrays(5, 5), lambda: sa.load(5), lambda: sa.load(None),
                                  lambda: sa.save(5, "x.json"), lambda: sa.Architecture(None),
                                  lambda: sa.Architecture.parse(5), lambda: Network.random(None),
                                  lambda: sa.degeneracy_loci(None)],
                         ids=["from_arrays None", "from_arrays generators", "from_arrays ints", "load 5", "load None",
                              "save 5", "Architecture None", "parse 5", "random None", "loci None"])
def test_constructors_and_files_refuse_wrong_types(call):
    with pytest.raises(sa.ParameterError):
        call()


def test_survey_workers_die_with_a_killed_parent(tmp_path):
    proc = _spawn("semialg.ui.survey:analyse", ["survey", "--arch", "3,12,12,1", "--samples", "40", "--workers", "2",
                                               "--out", "s.json"], tmp_path)   # the pool is up and working
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    proc.kill()
    proc.communicate(timeout=_PATIENCE)
    assert len(workers) >= 2, workers                      # the pool (and nothing outlives the parent)

    def running(pid: str) -> bool:
        try:
            with open(f"/proc/{pid}/status") as f:
                return "zombie" not in f.read().lower()
        except OSError:                                     # gone (possibly between two looks)
            return False

    def alive():
        return [w for w in workers if running(w)]
    deadline = time.monotonic() + _PATIENCE                 # they notice within a second on an idle machine
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive() == []


def test_temporary_files_are_recognisable_and_leftovers_of_dead_writers_are_removed(tmp_path):
    dead_pid = 2 ** 22 + 12345                             # above any pid_max default: never running
    leftover = tmp_path / f".n.json.semialg-{dead_pid}-abc123.tmp"
    live = tmp_path / f".n.json.semialg-{os.getppid()}-def456.tmp"   # a running process's write in progress
    other = tmp_path / f".m.json.semialg-{dead_pid}-abc123.tmp"      # another target: not ours to clean
    for f in (leftover, live, other):
        f.write_text("partial")
    sa.save(Network.random((2, 2, 1), seed=0), tmp_path / "n.json")
    assert not leftover.exists() and live.exists() and other.exists()
    assert sorted(os.listdir(tmp_path)) == sorted([live.name, other.name, "n.json"])


def test_a_searched_genericity_decision_is_rechecked_through_its_evidence():
    from semialg.engine.loci import GenericityReport
    net = Network.random((2, 12, 1), seed=1)
    report = sa.genericity(net)
    assert report.status == "generic" and sa.genericity(net, budget=1).status == "undecided" and report.verify(net)
    forged = GenericityReport(report.architecture, tuple(
        dataclasses.replace(c, holds=False, witness=(0, 1)) if c.name == "no zero factor" else c
        for c in report.conditions), report.scope)
    with pytest.raises(CertificateError):
        forged.verify(net)


@pytest.mark.parametrize("widths, seed", [((2, 3, 1), 11), ((2, 12, 1), 3), ((2, 1, 3, 1), 3), ((2, 3, 1, 2), 3),
                                          ((2, 3, 3, 1), 1)])
def test_flipping_any_genericity_answer_is_caught(widths, seed):
    from semialg.engine.loci import GenericityReport
    net = Network.random(widths, seed=seed)
    report = sa.genericity(net)
    assert report.verify(net)
    for i, c in enumerate(report.conditions):
        if c.holds is None:
            continue
        flipped = dataclasses.replace(c, holds=not c.holds)
        forged = GenericityReport(report.architecture, report.conditions[:i] + (flipped,) + report.conditions[i + 1:],
                                  report.scope)
        with pytest.raises(CertificateError):
            forged.verify(net)


def test_genericity_report_with_a_forged_scope_does_not_verify():
    """Audit F7: a depth-3 report relabelled with the shallow scope would claim "generic" (no theorem says so)."""
    from semialg.engine import loci
    net = Network.random((2, 3, 3, 1), seed=3)
    report = sa.genericity(net)
    assert report.verify(net) and report.status != "generic"
    forged = dataclasses.replace(report, scope=loci.SHALLOW_SCOPE)
    assert forged.status == "generic"
    with pytest.raises(CertificateError):
        forged.verify(net)


# == numbers beyond the float64 range =========================================================================
# Float helpers only choose points; entries beyond 1.8e308 (or normal forms rescaled beyond it) must not crash.

_FAR = str(10 ** 400)


def test_a_kink_beyond_the_float_range_is_enumerated_exactly():
    far = Network.from_arrays([[[1, 0], [0, 1]], [[1, 1]]], [["-" + _FAR, 0], [0]])   # kink at x1 = 10^400
    regions = sa.regions(far)
    assert len(regions) == 4
    for r in regions:              # every interior point lies in its region and the map is the network's there
        assert r.contains(r.point)
        assert far(r.point) == tuple(sum((a * x for a, x in zip(row, r.point)), c)
                                     for row, c in zip(r.linear, r.offset))
    assert len({r.pattern for r in regions}) == 4
    assert sa.functional_dimension(far, method="batch").value == 7


def test_deep_equivalence_with_entries_beyond_the_float_range():
    deep = Network.from_arrays([[[_FAR], [1]], [[1, 0], [0, 1]], [[1, 1]]], [[0, -1], [0, 0], [0]])
    other = Network.from_arrays([[[_FAR], [1]], [[1, 0], [0, 1]], [[1, 2]]], [[0, -1], [0, 0], [0]])
    r = sa.equivalent(deep, other)
    assert not r and deep(r.certificate.point) != other(r.certificate.point)
    assert r.certificate.verify(deep, other)
    big = f"{10 ** 300}/7"          # inside the float range; the normal form rescales beyond it
    shallow = Network.from_arrays([[[big], [2]], [[big, 1]]], [[1, -1], [big]])
    embedded = Network.from_arrays([[[big], [2]], [[1, 0], [0, 1]], [[big, 1]]], [[1, -1], [0, 0], [big]])
    r = sa.equivalent(shallow, embedded)
    assert r and r.certificate.verify(shallow, embedded)
    assert sa.shallow_representation(deep).status == "found"
    with pytest.raises(sa.ParameterError, match="layer 1.*float64 range"):
        sa.estimate_functional_dimension(deep, seed=0)


@pytest.mark.parametrize("method", ["auto", "exact"])
def test_strict_feasibility_of_rows_beyond_the_float_range(method):
    big = 10 ** 400
    rows = [[big * i + 1, i, 1, 0, 0, 0] for i in range(1, 40)]      # d = 6: "auto" tries the float LP first
    feasible = sa.strictly_feasible(rows + [[-1, 0, 0, 0, 0, 0]], [1] * 40, method=method)
    assert feasible.feasible and feasible.verify(rows + [[-1, 0, 0, 0, 0, 0]], [1] * 40)
    opposite = rows + [[-x for x in r] for r in rows]
    empty = sa.strictly_feasible(opposite, [-1] * 78, method=method)
    assert not empty.feasible and empty.verify(opposite, [-1] * 78)


def test_row_generation_on_rows_beyond_the_float_range_is_silent():
    # the float slack only orders the rows to add; inf/inf must not reach the user as a numpy warning
    import warnings
    big = 10 ** 400
    rows = [[big * i + 1, i] for i in range(1, 25)] + [[-big * i, 3] for i in range(1, 25)]
    h = [-big * 3 + i for i in range(24)] + [big * 50 + i for i in range(24)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sa.strictly_feasible(rows, h, method="exact")
    assert r.feasible and r.verify(rows, h)
