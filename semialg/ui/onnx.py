"""ONNX import and export of ReLU MLPs (the ``onnx`` extra).

Reads the graphs PyTorch (``torch.onnx.export``) and tf2onnx write for multilayer perceptrons: ``Gemm``
(``transA``/``transB``, ``alpha``/``beta``), ``MatMul`` followed by ``Add``, ``Relu``, a ``Flatten`` or
``Reshape`` of the input, and ``Identity``/``Dropout`` (inference: the identity). Consecutive affine nodes
without a ``Relu`` between them are composed exactly. Initializers of any float dtype (float16, bfloat16,
float32, float64) and ``alpha``/``beta`` (float32 attributes) are read as the exact dyadic rationals they
store. Any other operator is refused with a :class:`~semialg.errors.FormatError` naming the node and its
op; a final ``Softmax``/``Sigmoid``/``LogSoftmax`` is refused unless ``logits=True``, which analyses the
network up to its logits and records the dropped activation in ``net.assumptions``.

Export writes ``Gemm(transB=1)`` + ``Relu`` layers in float64 (refusing parameters that are not exactly
float64), so the exported model computes the network exactly as far as float64 arithmetic goes.

Cost: reading is $O(\\dim\\Omega)$ conversions plus one exact matrix product per composed affine node.

>>> import semialg as sa
>>> net = sa.Network.from_arrays([[[1, -0.5], [2, 0.25]], [[1, -1]]], [[0, 1], [0.5]])
>>> from_onnx(to_onnx(net)) == net
True
"""

from __future__ import annotations

import json
import os

import numpy as np
from flint import fmpq

from semialg.core.exact import to_fmpq, to_vector
from semialg.core.rational_matrix import RationalMatrix
from semialg.core.network import Network
from semialg.errors import FormatError, ParameterError, ShapeError
from semialg.ui.declared import assume, check_assumptions, checked_for_writing, dropped_output
from semialg.ui.io import float64_layers, loads_json, register_format
from semialg.ui.layouts import AffineChain

__all__ = ["from_onnx", "to_onnx", "SKIPPED_OPS", "FINAL_ACTIVATIONS"]

#: Operators that are the identity at inference time.
SKIPPED_OPS = ("Identity", "Dropout")
#: Final activations that ``logits=True`` drops (the network is then the map to the logits).
FINAL_ACTIVATIONS = ("Softmax", "Sigmoid", "LogSoftmax")
_OPSET = 13
_ASSUMPTIONS = "semialg.assumptions"
_MAX_BYTES = 2 ** 31  # protobuf's own limit; larger models keep their weights in external files


def _onnx():
    try:
        import onnx
    except ImportError:
        raise FormatError("reading and writing .onnx needs the 'onnx' extra: pip install 'semialg[onnx]'") \
            from None
    return onnx


def _column(values: np.ndarray, n: int, rows: bool, where: str) -> tuple[fmpq, ...]:
    """A bias broadcast over the batch to an $n$-vector: a scalar, or $n$ entries along the feature axis
    (the last axis for batch-first data, the first of an $(n, 1)$ array for feature-first data)."""
    feature_axis_only = (values.ndim >= 1 and all(d == 1 for d in values.shape[:-1]) if rows
                         else values.ndim == 2 and values.shape[1] == 1)
    if values.size != 1 and not (feature_axis_only and values.size == n):
        raise ShapeError(f"{where}: bias of shape {values.shape} does not broadcast to {n} outputs per example")
    return to_vector(np.repeat(values.reshape(-1), n) if values.size == 1 else values.reshape(-1), where=where)


#: Tensor element types that hold no real numbers, refused by name.
_NOT_REAL = {"UNDEFINED": "an undefined element type", "STRING": "strings", "BOOL": "booleans",
             "COMPLEX64": "complex numbers", "COMPLEX128": "complex numbers"}


def _exact_array(onnx, tensor, where: str) -> np.ndarray:
    """The values of a ``TensorProto`` whose element type is a real number type (every float and integer type,
    sub-byte and float8 ones included: each widens to float32 or float64 exactly). Its dims must be
    non-negative and its data exactly as long as they say; anything else is a :class:`FormatError` naming the
    tensor. Cost: linear in the stored data (nothing is allocated from the dims alone)."""
    if tensor.data_location == onnx.TensorProto.EXTERNAL:
        raise FormatError(f"{where}: stored in an external data file, which semialg does not follow")
    names = onnx.TensorProto.DataType
    code = tensor.data_type
    if code not in names.values():
        raise FormatError(f"{where}: unknown tensor data type {code}")
    name = names.Name(code)
    if name in _NOT_REAL:
        raise FormatError(f"{where}: a tensor of {_NOT_REAL[name]} ({name}) where real numbers are expected")
    dims = tuple(tensor.dims)
    if any(d < 0 for d in dims):
        raise FormatError(f"{where}: negative dimension in dims {list(dims)}")
    try:
        arr = onnx.numpy_helper.to_array(tensor)
    except Exception as e:  # onnx raises ValueError/TypeError/KeyError for data that does not fit its dims
        raise FormatError(f"{where}: {name} tensor with dims {list(dims)} whose data does not match them "
                          f"({type(e).__name__})") from None
    if arr.shape != dims:
        raise FormatError(f"{where}: {name} tensor with dims {list(dims)} holds data of shape {arr.shape}")
    if arr.dtype.kind not in "fiu":
        arr = arr.astype(np.float32)  # bfloat16 / float8 / 4-bit (ml_dtypes) widen to float32 exactly
    return arr


def _declared_dims(value_info) -> list[int | None] | None:
    """The dims a graph input declares (None for a symbolic or unknown one), or None without a shape."""
    tensor = value_info.type.tensor_type
    if not tensor.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") else None for d in tensor.shape.dim]


class _Reader:
    """One pass over the graph's nodes (ONNX stores them topologically sorted)."""

    def __init__(self, onnx, graph, source: str, logits: bool):
        self.onnx, self.source, self.logits = onnx, source, logits
        self.consts = {t.name: _exact_array(onnx, t, f"{source}: initializer {t.name!r}") for t in graph.initializer}
        inputs = [i.name for i in graph.input if i.name not in self.consts]
        if len(inputs) != 1:
            raise FormatError(f"{source}: expected one input tensor, found {len(inputs)} ({inputs})")
        if len(graph.output) != 1:
            raise FormatError(f"{source}: expected one output tensor, found {len(graph.output)}")
        self.output = graph.output[0].name
        self.data = inputs[0]
        self.input_dims = _declared_dims(next(i for i in graph.input if i.name == inputs[0]))
        self.rows = None        # True: the data is (batch, n); False: (n, batch); None: not yet known
        self.reshaped = False   # after Flatten/Reshape of the input
        self.chain = AffineChain(source)
        self.dropped: str | None = None

    def run(self, nodes) -> Network:
        nodes = list(nodes)
        for k, node in enumerate(nodes):
            where = f"{self.source}: node {node.name or k!r} ({node.op_type})"
            if self.dropped is not None:
                raise FormatError(f"{where} follows the final {self.dropped}; not an MLP")
            self.visit(node, where, last=k == len(nodes) - 1)
        if self.data != self.output:
            raise FormatError(f"{self.source}: the graph output {self.output!r} is not computed from the input "
                              f"by the MLP layers")
        net = self.chain.network()
        return assume(net, dropped_output(self.dropped)) if self.dropped else net

    def data_and_const(self, node, where: str) -> tuple[int, np.ndarray]:
        """Which input of a binary node is the data tensor (0 or 1), and the other one's constant value."""
        names = list(node.input[:2])
        if names.count(self.data) != 1:
            raise FormatError(f"{where}: expects the data tensor as exactly one operand, got inputs {names}")
        k = names.index(self.data)
        other = names[1 - k]
        if other not in self.consts:
            raise FormatError(f"{where}: operand {other!r} is not a constant initializer")
        return k, self.consts[other]

    def visit(self, node, where: str, last: bool) -> None:
        op, attrs = node.op_type, {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.domain not in ("", "ai.onnx"):
            raise FormatError(f"{where}: operator from domain {node.domain!r} is not supported")
        if op == "Constant":
            if "value" not in attrs:
                raise FormatError(f"{where}: only tensor-valued Constant nodes are supported")
            self.consts[node.output[0]] = _exact_array(self.onnx, attrs["value"], where)
            return
        if self.data not in node.input:
            raise FormatError(f"{where}: does not act on the data tensor; semialg reads plain MLP graphs")
        if op in SKIPPED_OPS:
            pass
        elif op == "Relu":
            self.chain.relu(where)
        elif op in ("Flatten", "Reshape"):
            self.reshape(node, op, attrs, where)
        elif op == "Transpose":
            if list(attrs.get("perm", [1, 0])) != [1, 0]:
                raise FormatError(f"{where}: only a 2-D transpose is supported")
            self.rows = None if self.rows is None else not self.rows
        elif op in ("Gemm", "MatMul"):
            self.affine(node, op, attrs, where)
        elif op == "Add":
            k, c = self.data_and_const(node, where)
            if self.chain.W is None:
                raise FormatError(f"{where}: an Add must follow a Gemm or MatMul")
            self.chain.shift(_column(c, len(self.chain.W), self.rows, where), where)
        elif op in FINAL_ACTIVATIONS and last:
            if not self.logits:
                raise FormatError(f"{where}: the network ends with {op}; pass logits=True (CLI --logits) to "
                                  f"analyse it up to its logits")
            self.dropped = op
        else:
            raise FormatError(f"{where}: operator {op} is not supported; semialg reads ReLU MLPs (Gemm, MatMul, "
                              f"Add, Relu, Flatten/Reshape of the input, Identity, Dropout)")
        self.data = node.output[0]

    def reshape(self, node, op: str, attrs: dict, where: str) -> None:
        if self.chain.started or self.reshaped:
            raise FormatError(f"{where}: only the input may be flattened or reshaped")
        if op == "Flatten" and attrs.get("axis", 1) != 1:
            raise FormatError(f"{where}: Flatten must keep the batch axis (axis=1)")
        if op == "Reshape":
            shape = self.consts.get(node.input[1]) if len(node.input) > 1 else None
            if shape is None or shape.ndim != 1 or len(shape) != 2:
                raise FormatError(f"{where}: Reshape must give a constant 2-D shape (batch, features)")
            self.check_rows(tuple(int(d) for d in shape), bool(attrs.get("allowzero", 0)), where)
        self.reshaped, self.rows = True, True

    def check_rows(self, shape: tuple[int, int], allowzero: bool, where: str) -> None:
        """Refuse a Reshape of the input unless it keeps each example in one row of its features: (0, -1)
        (the batch axis kept, the rest flattened), or a row length equal to the number of features per example
        that the graph input declares. Anything else mixes examples and features, and semialg would analyse
        another network than the graph computes."""
        dims = self.input_dims
        batch = dims[0] if dims else None
        per_example = None if dims is None or None in dims[1:] else int(np.prod(dims[1:], dtype=object))
        # a 0 copies the input's first dim (the batch) unless allowzero makes it a literal 0
        keeps_batch = shape[0] == 0 and not allowzero or batch is not None and shape[0] == batch
        if keeps_batch and shape[1] == -1:
            return
        if (keeps_batch or shape[0] == -1) and per_example is not None and shape[1] == per_example:
            return
        declared = "no shape" if dims is None else f"shape ({', '.join('?' if d is None else str(d) for d in dims)})"
        raise FormatError(f"{where}: Reshape of the input to {list(shape)} does not keep each example in one row of "
                          f"its features (the input {self.data!r} declares {declared}); semialg would analyse another "
                          f"network than the graph computes")

    def affine(self, node, op: str, attrs: dict, where: str) -> None:
        k, K = self.data_and_const(node, where)
        trans = (attrs.get("transA", 0), attrs.get("transB", 0)) if op == "Gemm" else (0, 0)
        if K.ndim != 2:
            raise ShapeError(f"{where}: weight of shape {K.shape} is not a matrix")
        if trans[1 - k]:
            K = K.T
        if self.rows is None:  # the graph input: its layout is the one this first layer reads
            self.rows = (k == 0) != bool(trans[k])
        data_rows = self.rows != bool(trans[k])  # the layout of the data as this node sees it
        if k == 0 and not data_rows or k == 1 and data_rows:
            raise FormatError(f"{where}: the data enters with its batch axis where features are expected")
        # batch-first: Y = X K, the feature map is K^T; feature-first: Y = K X, the feature map is K
        M = RationalMatrix.of(K.T if k == 0 else K, where=f"{where} weight")
        alpha = to_fmpq(np.float32(attrs.get("alpha", 1.0)), where=f"{where} alpha")
        if alpha != 1:
            M = tuple(tuple(alpha * x for x in r) for r in M)
        c = None
        if op == "Gemm" and len(node.input) > 2 and node.input[2]:
            name = node.input[2]
            if name not in self.consts:
                raise FormatError(f"{where}: bias {name!r} is not a constant initializer")
            c = _column(self.consts[name], len(M), k == 0, f"{where} bias")
            beta = to_fmpq(np.float32(attrs.get("beta", 1.0)), where=f"{where} beta")
            if beta != 1:
                c = tuple(beta * x for x in c)
        self.chain.affine(M, c, where)
        self.rows = k == 0


def from_onnx(model, logits: bool = False, source: str = "<onnx>") -> Network:
    """The exact ReLU network of an ONNX ``ModelProto`` (see the module docstring for what is read).

    Raises :class:`FormatError` naming the node and its op for anything that is not a ReLU MLP layer, and
    :class:`TypeError` for anything that is not a ``ModelProto`` (a path is read by :func:`semialg.load`).
    """
    if isinstance(model, (str, bytes, os.PathLike)):   # before importing onnx: the mistake needs no onnx to see
        raise TypeError(f"from_onnx expects an onnx.ModelProto, not a {type(model).__name__}; "
                        "to read a file use sa.load(path)")
    onnx = _onnx()
    if not isinstance(model, onnx.ModelProto):
        raise TypeError(f"from_onnx expects an onnx.ModelProto, not {type(model).__name__}")
    net = _Reader(onnx, model.graph, source, logits).run(model.graph.node)
    props = {p.key: p.value for p in model.metadata_props}
    if _ASSUMPTIONS not in props:
        return net
    try:
        recorded = loads_json(props[_ASSUMPTIONS], exact=False)
    except FormatError:
        raise FormatError(f"{source}: unreadable {_ASSUMPTIONS} metadata") from None
    where = f"{source}: {_ASSUMPTIONS} metadata"
    net = assume(net, *check_assumptions(recorded, where))
    check_assumptions(net.assumptions, where)  # with the one the reader adds (a dropped final activation)
    return net


def to_onnx(net: Network, dtype=np.float64):
    """An ONNX ``ModelProto`` computing ``net``: ``Gemm(transB=1)`` + ``Relu`` layers, input ``"input"``
    of shape (batch, $n_0$), output ``"output"``. Refuses parameters not exactly representable in ``dtype``.
    """
    onnx = _onnx()
    from onnx import TensorProto, helper, numpy_helper

    elem = {np.dtype(np.float64): TensorProto.DOUBLE, np.dtype(np.float32): TensorProto.FLOAT}[np.dtype(dtype)]
    nodes, inits, data = [], [], "input"
    recorded = checked_for_writing(net)
    layers = float64_layers(net)
    for l, (W, b) in enumerate(layers, start=1):
        Wd, bd = W.astype(dtype), b.astype(dtype)
        if not (np.array_equal(Wd, W) and np.array_equal(bd, b)):
            raise ParameterError(f"layer {l} has entries that are not exactly {np.dtype(dtype).name} numbers")
        inits += [numpy_helper.from_array(Wd, f"W{l}"), numpy_helper.from_array(bd, f"b{l}")]
        out = "output" if l == len(layers) else f"z{l}"
        nodes.append(helper.make_node("Gemm", [data, f"W{l}", f"b{l}"], [out], name=f"linear{l}", transB=1))
        if l < len(layers):
            nodes.append(helper.make_node("Relu", [out], [f"a{l}"], name=f"relu{l}"))
            data = f"a{l}"
    graph = helper.make_graph(nodes, "semialg_relu_mlp",
                              [helper.make_tensor_value_info("input", elem, ["batch", net.widths[0]])],
                              [helper.make_tensor_value_info("output", elem, ["batch", net.widths[-1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)], producer_name="semialg")
    if recorded:  # what the network's source did not say travels with it
        helper.set_model_props(model, {_ASSUMPTIONS: json.dumps(list(recorded))})
    model.ir_version = min(model.ir_version, 8)
    onnx.checker.check_model(model)
    return model


def _read(path, layout: str = "auto", logits: bool = False) -> Network:
    onnx = _onnx()
    if path.stat().st_size > _MAX_BYTES:
        raise FormatError(f"{path}: larger than 2 GiB, the limit of an ONNX protobuf")
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as e:  # protobuf's DecodeError and friends
        raise FormatError(f"{path}: unreadable or truncated .onnx ({type(e).__name__}: {e})") from None
    return from_onnx(model, logits, str(path))


def _write(net: Network, tmp: str) -> None:
    with open(tmp, "wb") as fh:
        fh.write(to_onnx(net).SerializeToString())


register_format(".onnx", _read, _write)
